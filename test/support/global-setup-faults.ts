import { localStack } from "./local-stack.js";

/**
 * The stack the fault project runs the API and worker suites against: every kind of AWS failure the
 * twin knows, stale reads included (eventually consistent reads and index queries miss writes
 * younger than 300 ms), at shares high enough to hit every path many times in one run
 * (infra/local/faults.ts). JIAYI_FAULT_SEED repeats a run; JIAYI_FAULT_MIX replaces the mix (for example
 * `stale=1,lag=300` finds every read that does not wait for an index).
 */
export const FAULT_MIX = "conflict=0.05,throttle=0.05,ambiguous=0.02,duplicate=0.1,stale=0.3,lag=300";

export const { setup, teardown } = localStack("faults", {
  JIAYI_FAULTS: `${process.env.JIAYI_FAULT_MIX ?? FAULT_MIX},seed=${process.env.JIAYI_FAULT_SEED ?? Date.now() % 100_000}`,
});
