import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ServicePackage } from "../../shared/schemas/contracts.js";
import type { Centre } from "../../shared/schemas/identity.js";
import type { TeamRecord } from "../domain/teams.js";
import { db, tableName } from "../lib/db.js";
import { createItem, get, queryAll, queryPage, writeIf } from "./items.js";
import { keys } from "./keys.js";

/** Centres, their neighbourhoods and teams: the organisation residents choose from. */
export interface NeighbourhoodRecord {
  neighbourhoodId: string;
  centreId: string;
  name: string;
}

/** The centre's area population (from the local statistics), the denominator of signing coverage. */
export interface Population {
  residents: number;
  priority: number;
}

export const getCentre = (centreId: string) =>
  get<Centre & { population?: Population }>(keys.centre(centreId));

export const setPopulation = (centreId: string, population: Population) =>
  writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.centre(centreId),
        UpdateExpression: "SET population = :p",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":p": population },
      }),
    ),
  );
export const getNeighbourhood = (neighbourhoodId: string) =>
  get<NeighbourhoodRecord>(keys.neighbourhood(neighbourhoodId));
export const getTeam = (teamId: string) => get<TeamRecord>(keys.team(teamId));

export const listCentres = (limit: number, cursor?: string) =>
  queryPage<Centre>({ index: "gsi1", partition: keys.centresIndex().gsi1pk, limit, cursor });

export const listTeamsOfCentre = (centreId: string, limit: number, cursor?: string) =>
  queryPage<TeamRecord>({
    index: "gsi1",
    partition: keys.teamsOfCentre(centreId).gsi1pk,
    limit,
    cursor,
    fresh: true,
  });

export const listPackages = (centreId: string, limit: number, cursor?: string) =>
  queryPage<ServicePackage>({ partition: keys.packagesPrefix(centreId).pk, skPrefix: "PKG#", limit, cursor });

/** All of a centre's packages (a centre has a handful): used to check an application's choice. */
export const allPackages = (centreId: string) =>
  queryAll<ServicePackage>(keys.packagesPrefix(centreId).pk, "PKG#");

export async function createTeam(team: TeamRecord): Promise<void> {
  const created = await createItem({
    ...keys.team(team.teamId),
    ...keys.teamsOfCentre(team.centreId),
    gsi1sk: team.teamId,
    type: "Team",
    ...team,
  });
  if (!created) throw new Error(`team id ${team.teamId} is taken`);
}

/** A team's capacity can move between what it already serves and the hard maximum. */
export async function setTeamCapacity(teamId: string, capacity: number): Promise<boolean> {
  return writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.team(teamId),
        UpdateExpression: "SET capacityHouseholds = :c",
        ConditionExpression: "attribute_exists(pk) AND signedHouseholds <= :c",
        ExpressionAttributeValues: { ":c": capacity },
      }),
    ),
  );
}
