import { randomInt } from "node:crypto";
import type { Role } from "../../shared/enums.js";
import { STAFF_ROLES } from "../../shared/enums.js";

/** Easy to read aloud and type: no 0/O, 1/I/L. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export const newInvitationCode = () =>
  Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");

export const normaliseCode = (code: string) => code.trim().toUpperCase().replace(/[\s-]/g, "");

/**
 * Roles after claiming: a resident keeps being a resident; a staff member belongs to one team at a
 * time, so joining a second team needs the first binding removed by a manager.
 */
export function rolesAfterClaim(
  current: readonly Role[],
  currentTeamId: string | undefined,
  invitation: { role: Exclude<Role, "resident">; teamId?: string },
): { ok: true; roles: Role[] } | { ok: false; reason: "other-team" } {
  const isStaff = (STAFF_ROLES as readonly Role[]).includes(invitation.role);
  if (isStaff && currentTeamId && currentTeamId !== invitation.teamId)
    return { ok: false, reason: "other-team" };
  return { ok: true, roles: [...new Set<Role>([...current, invitation.role])] };
}
