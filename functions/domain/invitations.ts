import { randomInt } from "node:crypto";
import type { Role } from "../../shared/enums.js";
import { STAFF_ROLES } from "../../shared/enums.js";

/** Easy to read aloud and type: no 0/O, 1/I/L. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export const newInvitationCode = () =>
  Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");

export const normaliseCode = (code: string) => code.trim().toUpperCase().replace(/[\s-]/g, "");

export type TeamRole = (typeof STAFF_ROLES)[number];
export const isTeamRole = (role: Role): role is TeamRole => (STAFF_ROLES as readonly Role[]).includes(role);

/** Every role but resident (and the district's, which spans centres) belongs to one centre. */
export const holdsCentreRole = (roles: readonly Role[]) =>
  roles.some((r) => r !== "resident" && r !== "district");

/** What claiming or changing roles looks at and writes on the user item. */
export interface RoleState {
  roles: Role[];
  centreId?: string;
  teamId?: string;
}

export type ClaimRefusal = "other-centre" | "other-team";

/**
 * The account after claiming an invitation. A user belongs to one centre: roles held at another
 * centre refuse the claim (a manager of A does not become anything of B), and a plain resident
 * moves to the invitation's centre keeping only "resident". At the same centre roles add up, and a
 * team member belongs to one team at a time (a second team needs the first binding removed by a
 * manager first).
 */
export function claimedState(
  current: RoleState,
  invitation: { role: Exclude<Role, "resident" | "district">; centreId: string; teamId?: string },
): { ok: true; state: RoleState } | { ok: false; reason: ClaimRefusal } {
  const sameCentre = current.centreId === invitation.centreId;
  if (!sameCentre && holdsCentreRole(current.roles)) return { ok: false, reason: "other-centre" };
  const kept = sameCentre ? current.roles : current.roles.filter((r) => r === "resident");
  const keptTeam = sameCentre ? current.teamId : undefined;
  const joinsTeam = isTeamRole(invitation.role);
  if (joinsTeam && keptTeam && keptTeam !== invitation.teamId) return { ok: false, reason: "other-team" };
  return {
    ok: true,
    state: {
      roles: [...new Set<Role>([...kept, invitation.role])],
      centreId: invitation.centreId,
      teamId: joinsTeam ? invitation.teamId : keptTeam,
    },
  };
}
