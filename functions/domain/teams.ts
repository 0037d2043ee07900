import type { Team } from "../../shared/schemas/contracts.js";

/** A team as stored: members with their accounts where they have one, and its household counters. */
export interface TeamMember {
  userId?: string;
  name: string;
  role: "doctor" | "nurse" | "public_health";
}

export interface TeamRecord {
  teamId: string;
  centreId: string;
  name: string;
  members: TeamMember[];
  capacityHouseholds: number;
  signedHouseholds: number;
  signedPersons: number;
  /** The team's service line (a work landline, not a person's mobile), for the resident's call button. */
  servicePhone?: string;
}

/** A team as residents see it: members by name and role, and the room left in households. */
export const teamView = (t: TeamRecord): Team => ({
  teamId: t.teamId,
  centreId: t.centreId,
  name: t.name,
  // Approving takes a staff account bound to the team (services/access.ts isStaffOf); a name on
  // the card without an account is someone who works there but does not use the system.
  members: t.members.map(({ userId, name, role }) => ({ name, role, mayApprove: userId !== undefined })),
  capacityHouseholds: t.capacityHouseholds,
  signedHouseholds: t.signedHouseholds,
  remainingHouseholds: Math.max(0, t.capacityHouseholds - t.signedHouseholds),
  signedPersons: t.signedPersons ?? 0,
  servicePhone: t.servicePhone ?? null,
});
