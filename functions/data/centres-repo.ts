import type { Centre } from "../../shared/schemas/identity.js";
import { get, queryPage } from "./items.js";
import { keys } from "./keys.js";

/** Centres, their neighbourhoods and teams: the organisation residents choose from. */
export interface NeighbourhoodRecord {
  neighbourhoodId: string;
  centreId: string;
  name: string;
}

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
}

export const getCentre = (centreId: string) => get<Centre>(keys.centre(centreId));
export const getNeighbourhood = (neighbourhoodId: string) =>
  get<NeighbourhoodRecord>(keys.neighbourhood(neighbourhoodId));
export const getTeam = (teamId: string) => get<TeamRecord>(keys.team(teamId));

export const listCentres = (limit: number, cursor?: string) =>
  queryPage<Centre>({ index: "gsi1", partition: keys.centresIndex().gsi1pk, limit, cursor });

export const listTeamsOfCentre = (centreId: string, limit: number, cursor?: string) =>
  queryPage<TeamRecord>({ index: "gsi1", partition: keys.teamsOfCentre(centreId).gsi1pk, limit, cursor });
