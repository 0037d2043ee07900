import { AsyncLocalStorage } from "node:async_hooks";

/**
 * How long the current invocation may still run. A handler sets it from the Lambda context
 * (`withDeadline(deadlineOf(context, reserve), work)`); retry loops (data/transactions.ts) read it
 * so that they retry only while the function has time, and give up early enough to answer (a 503,
 * a batch item failure) instead of being cut off by the timeout. Kept in AsyncLocalStorage rather
 * than a module variable, so in-process callers running several invocations at once (tests) do not
 * share one.
 */
const store = new AsyncLocalStorage<number>();

export interface RemainingTime {
  getRemainingTimeInMillis?: () => number;
}

/** The moment retries must stop: the invocation's end, less `reserveMs` kept for answering. */
export function deadlineOf(context: RemainingTime | undefined, reserveMs: number): number | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== "number" || !Number.isFinite(remaining) || remaining <= 0) return undefined;
  return Date.now() + remaining - Math.min(reserveMs, remaining / 2);
}

/** Runs `work` with `deadline` as the current invocation's (no deadline: runs it as it is). */
export const withDeadline = <T>(deadline: number | undefined, work: () => Promise<T>): Promise<T> =>
  deadline === undefined ? work() : store.run(deadline, work);

/** The deadline set by the running invocation, if any. */
export const currentDeadline = (): number | undefined => store.getStore();
