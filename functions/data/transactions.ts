import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../lib/db.js";

type TransactItems = NonNullable<TransactWriteCommandInput["TransactItems"]>;

/**
 * Runs a transaction; when it is cancelled because conditions failed, returns the indexes of the
 * items whose condition failed so callers can say which invariant stopped it.
 */
export async function transact(
  items: TransactItems,
  clientRequestToken?: string,
): Promise<{ ok: true } | { ok: false; failed: number[] }> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(
        new TransactWriteCommand({ TransactItems: items, ClientRequestToken: clientRequestToken }),
      );
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === "ConditionalCheckFailed" ? [i] : []));
      if (failed.length) return { ok: false, failed };
      // Another transaction touched the same items at the same moment (the SDK does not retry
      // this): try again a few times with jitter; the conditions keep every attempt safe.
      const conflict = reasons.some((r) => r.Code === "TransactionConflict");
      if (!conflict || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
    }
  }
}

const MAX_CONFLICT_RETRIES = 4;

export type TransactItem = TransactItems[number];

/**
 * Moves an item from one status to another, setting other fields with it; the condition fails if
 * someone moved it first, which is what makes each transition happen once.
 */
export function statusTransition(
  key: { pk: string; sk: string },
  from: string,
  to: string,
  set: Record<string, unknown> = {},
): TransactItem {
  const names: Record<string, string> = { "#status": "status" };
  const values: Record<string, unknown> = { ":from": from, ":to": to };
  const sets = ["#status = :to"];
  for (const [i, [field, value]] of Object.entries(set).entries()) {
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    sets.push(`#f${i} = :v${i}`);
  }
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${sets.join(", ")}`,
      ConditionExpression: "#status = :from",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
