import type { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { db, tableName } from "../lib/db.js";
import { currentDeadline } from "../lib/time-budget.js";

type TransactItems = NonNullable<TransactWriteCommandInput["TransactItems"]>;

export interface TransactOptions {
  /**
   * Epoch ms after which no further attempt starts. Default: the running invocation's deadline
   * (lib/time-budget.ts), else DEFAULT_BUDGET_MS from the first attempt.
   */
  deadline?: number;
  /** Told of every retry (the stream projector counts them per batch). */
  onRetry?: (retry: { reason: RetryReason; attempt: number; delayMs: number }) => void;
}

export type RetryReason = "conflict" | "throttle";

/** Backoff: full jitter over an exponential ceiling (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
const BASE_DELAY_MS = 20;
const MAX_DELAY_MS = 1_000;
/** A caller with no invocation deadline (none set) retries for at most this long. */
const DEFAULT_BUDGET_MS = 2_000;
/** What one more attempt needs, so the last one still ends before the deadline. */
const ATTEMPT_RESERVE_MS = 300;
/** However much time is left, a transaction that keeps conflicting stops here. */
const MAX_ATTEMPTS = 30;

/** Throttling the SDK already retried (maxAttempts) and gave up on; TransactionInProgress (same token). */
const RETRYABLE_ERRORS = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TransactionInProgressException",
]);
const RETRYABLE_REASONS: Record<string, RetryReason> = {
  TransactionConflict: "conflict",
  ThrottlingError: "throttle",
  ProvisionedThroughputExceeded: "throttle",
};

/** Counts of this environment's transactions (for tests and in-process measurements). */
export const transactStats = { calls: 0, attempts: 0, conflicts: 0, throttles: 0, gaveUp: 0 };

/**
 * Runs a transaction; when it is cancelled because conditions failed, returns the indexes of the
 * items whose condition failed so callers can say which invariant stopped it.
 *
 * A transaction cancelled by a conflict with another writer (the SDK does not retry that) and
 * throttling the SDK gave up on are retried with exponential backoff and full jitter while the
 * function's time allows; then the error is thrown, for the API's 503 or the queue's or stream's
 * retry. Every attempt is safe to repeat: a cancelled transaction wrote nothing, and callers make
 * their writes conditional (or pass a ClientRequestToken) where a repeat would matter.
 */
export async function transact(
  items: TransactItems,
  clientRequestToken?: string,
  options: TransactOptions = {},
): Promise<{ ok: true } | { ok: false; failed: number[] }> {
  transactStats.calls++;
  const deadline = options.deadline ?? currentDeadline() ?? Date.now() + DEFAULT_BUDGET_MS;
  for (let attempt = 1; ; attempt++) {
    let reason: RetryReason;
    try {
      transactStats.attempts++;
      await db.send(
        new TransactWriteCommand({ TransactItems: items, ClientRequestToken: clientRequestToken }),
      );
      return { ok: true };
    } catch (error) {
      // By name, not instanceof: a bundle or test runner may hold two copies of the SDK's classes.
      if (error instanceof Error && error.name === "TransactionCanceledException") {
        const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
        const failed = reasons.flatMap((r, i) => (r.Code === "ConditionalCheckFailed" ? [i] : []));
        if (failed.length) return { ok: false, failed };
        const retryable = reasons.map((r) => RETRYABLE_REASONS[r.Code ?? ""]).find(Boolean);
        if (!retryable) throw error;
        reason = retryable;
      } else if (error instanceof Error && RETRYABLE_ERRORS.has(error.name)) reason = "throttle";
      else throw error;
      transactStats[reason === "conflict" ? "conflicts" : "throttles"]++;
      const delayMs = Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      if (attempt >= MAX_ATTEMPTS || Date.now() + delayMs + ATTEMPT_RESERVE_MS > deadline) {
        transactStats.gaveUp++;
        throw error;
      }
      options.onRetry?.({ reason, attempt, delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

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
  /** A further condition on the same item (one item per transaction, so no separate check). */
  alsoRequire?: string,
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
      ConditionExpression: alsoRequire ? `#status = :from AND ${alsoRequire}` : "#status = :from",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
