import { STAFF_ROLES } from "../../shared/enums.js";
import { getRepresentation } from "../data/identity-repo.js";
import type { Session } from "../lib/session.js";

/**
 * Who the caller is in relation to a resident and a team: the resident's side (themselves or their
 * representative), staff of the team, or the manager of the centre. One caller can be several
 * (a doctor who is also a resident), and some actions need "team but not the resident's side".
 */
export interface Relation {
  residentSide: boolean;
  team: boolean;
  manager: boolean;
}

export const isStaffOf = (session: Session, teamId: string) =>
  session.teamId === teamId && session.roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r));

export const isManagerOf = (session: Session, centreId: string) =>
  session.centreId === centreId && session.roles.includes("manager");

export async function actsFor(session: Session, residentId: string): Promise<boolean> {
  return (await getRepresentation(session.userId, residentId)) !== undefined;
}

export async function relationTo(
  session: Session,
  subject: { residentId: string; teamId: string; centreId: string },
): Promise<Relation> {
  return {
    residentSide: await actsFor(session, subject.residentId),
    team: isStaffOf(session, subject.teamId),
    manager: isManagerOf(session, subject.centreId),
  };
}
