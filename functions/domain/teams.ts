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
}

/** A team as residents see it: members by name and role, and the room left in households. */
export const teamView = (t: TeamRecord): Team => ({
  teamId: t.teamId,
  centreId: t.centreId,
  name: t.name,
  members: t.members.map(({ name, role }) => ({ name, role })),
  capacityHouseholds: t.capacityHouseholds,
  signedHouseholds: t.signedHouseholds,
  remainingHouseholds: Math.max(0, t.capacityHouseholds - t.signedHouseholds),
  signedPersons: t.signedPersons ?? 0,
});
