import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { keys } from "../../functions/data/keys.js";
import { localClient } from "../../infra/local/dynamodb-local.js";
import { stack } from "./api.js";

/**
 * What the table itself holds, read consistently: counters and states asserted exactly, never
 * through an index-backed list that may lag.
 */
export async function stored<T = Record<string, unknown>>(key: { pk: string; sk: string }) {
  const out = await localClient(stack().dynamoEndpoint).send(
    new GetItemCommand({ TableName: stack().tableName, Key: marshall(key), ConsistentRead: true }),
  );
  return out.Item ? (unmarshall(out.Item) as T) : undefined;
}

/** Writes an item as it would be after past events (a visit booked for a day already over). */
export async function storeItem(item: Record<string, unknown>) {
  await localClient(stack().dynamoEndpoint).send(
    new PutItemCommand({
      TableName: stack().tableName,
      Item: marshall(item, { removeUndefinedValues: true }),
    }),
  );
}

export const teamCounts = async (teamId: string) => {
  const team = await stored<{ signedHouseholds: number; signedPersons: number }>(keys.team(teamId));
  return { households: team?.signedHouseholds, persons: team?.signedPersons };
};

export const contractStored = (contractId: string) =>
  stored<{ status: string; switchFromContractId?: string; switchToContractId?: string; endReason?: string }>(
    keys.contract(contractId),
  );

export const signedLock = (residentId: string) =>
  stored<{ contractId: string; pendingSwitchContractId?: string }>(keys.signedLock(residentId));
