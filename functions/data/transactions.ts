import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { db } from "../lib/db.js";

type TransactItems = NonNullable<TransactWriteCommandInput["TransactItems"]>;

/**
 * Runs a transaction; when it is cancelled because conditions failed, returns the indexes of the
 * items whose condition failed so callers can say which invariant stopped it.
 */
export async function transact(
  items: TransactItems,
  clientRequestToken?: string,
): Promise<{ ok: true } | { ok: false; failed: number[] }> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: clientRequestToken }));
    return { ok: true };
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === "ConditionalCheckFailed" ? [i] : []));
      if (failed.length) return { ok: false, failed };
    }
    throw error;
  }
}
