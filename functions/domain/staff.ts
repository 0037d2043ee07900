import type { Role } from "../../shared/enums.js";
import { isTeamRole, type RoleState, type TeamRole } from "./invitations.js";
import type { TeamMember } from "./teams.js";

/** Roles a manager hands out: everything but resident, which every account keeps. */
export type CentreRole = Exclude<Role, "resident" | "district">;

export type StaffChangeRefusal = "team-required" | "team-without-role" | "own-manager-role";

/**
 * A member's account after a manager's change of roles and team. Team roles need a team (the one
 * named, else the member's current one); a manager-only account belongs to no team. A manager
 * cannot take the manager role from themselves, so a centre is never left without one by mistake.
 */
export function changedState(
  current: RoleState,
  change: { roles: readonly CentreRole[]; teamId?: string },
  byThemselves: boolean,
): { ok: true; state: RoleState } | { ok: false; reason: StaffChangeRefusal } {
  const roles = [...new Set(change.roles)];
  const inTeam = roles.some(isTeamRole);
  if (!inTeam && change.teamId) return { ok: false, reason: "team-without-role" };
  const teamId = inTeam ? (change.teamId ?? current.teamId) : undefined;
  if (inTeam && !teamId) return { ok: false, reason: "team-required" };
  if (byThemselves && current.roles.includes("manager") && !roles.includes("manager"))
    return { ok: false, reason: "own-manager-role" };
  return {
    ok: true,
    state: {
      roles: [...(current.roles.includes("resident") ? (["resident"] as const) : []), ...roles],
      centreId: current.centreId,
      teamId,
    },
  };
}

/**
 * A user item's session version: raised by every change that takes a role or team away (a manager
 * changing or removing staff), which revokes every token issued before it (lib/session.ts).
 * Absent means 0.
 */
export const sessionVersionOf = (user: { sessionVersion?: number }) => user.sessionVersion ?? 0;

/** An account removed from its centre keeps only what every account is: a resident. */
export const REMOVED_STATE: RoleState = { roles: ["resident"] };

/**
 * A team card's members once `userId` holds `roles` in it (none: they left): their entries for
 * roles they keep stay where they were, new ones go last, everyone else is untouched.
 */
export function membersWith(
  members: readonly TeamMember[],
  userId: string,
  roles: readonly Role[],
  name: string,
): TeamMember[] {
  const wanted = roles.filter(isTeamRole);
  const kept = members.filter((m) => m.userId !== userId || wanted.includes(m.role));
  const present = new Set(kept.filter((m) => m.userId === userId).map((m) => m.role));
  const added = wanted
    .filter((role) => !present.has(role))
    .map((role: TeamRole): TeamMember => ({ userId, name, role }));
  return [...kept, ...added];
}
