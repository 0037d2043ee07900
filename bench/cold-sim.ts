/**
 * Cold-request simulation (pure computation, seeded, well under a second): a synthetic day of one
 * centre's traffic, and of a district of 10 centres served by the same deployment, run through a
 * model of Lambda's execution environments: an environment serves one request at a time, stays
 * warm while it is used, and is reclaimed after `reclaimMin` idle minutes (AWS does not publish the
 * figure; 5 and 15 minutes bracket what is commonly observed). A request that finds no warm, free
 * environment of its function meets a cold start. Old packaging: one function per route; new: one
 * per capability (functions/routes.ts `capabilities`).
 */

import { KEEP_WARM_MINUTES } from "../functions/deployment.js";
import type { RouteDef } from "../functions/lib/route.js";
import { capabilities } from "../functions/routes.js";
import { writeReportSection } from "./report-section.js";
import { round } from "./util.js";

export interface Request {
  /** Milliseconds since the day's midnight (Asia/Shanghai). */
  at: number;
  operationId: string;
}

/** mulberry32: small, fast and seedable, so every run draws the same day. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MIN = 60_000;
const HOUR = 60 * MIN;

export const DAY_ASSUMPTIONS = {
  households: 1_800,
  /** Households opening the mini-program on a given day (notices, bookings, a contract to read). */
  activeShare: 0.12,
  /** Of those, the share arriving in the morning peak (normal around 08:30, σ 45 min)… */
  morningShare: 0.6,
  /** …the rest spread evenly over 07:00–22:00. */
  requestsPerResidentSession: { start: 3, moreMin: 1, moreMax: 5 },
  /** Staff: 10 teams of 3 plus a manager, in office hours 08:00–17:30. */
  staff: 31,
  staffSessionsPerDay: 8,
  requestsPerStaffSession: { min: 3, max: 8 },
  /** Seconds between a session's requests (a person reading, then tapping). */
  thinkSeconds: { min: 2, max: 20 },
  /** Time an environment is busy with one request (warm), and the extra of a cold start. */
  durationMs: 120,
  coldExtraMs: 600,
} as const;

/** Deployed routes only (a local-only route is never a function). */
const deployed = (routes: readonly RouteDef[]) => routes.filter((r) => !r.localOnly);

export function routeTable(caps: Record<string, readonly RouteDef[]> = capabilities) {
  const capabilityOf = new Map<string, string>();
  for (const [name, routes] of Object.entries(caps))
    for (const r of deployed(routes)) capabilityOf.set(r.operationId, name);
  const all = Object.values(caps).flatMap(deployed);
  return {
    capabilityOf,
    routes: all.length,
    capabilities: Object.keys(caps).length,
    residentRoutes: all.filter((r) => r.auth === "user").map((r) => r.operationId),
    staffRoutes: all.filter((r) => Array.isArray(r.auth)).map((r) => r.operationId),
  };
}

/** One synthetic day of one centre's requests, sorted by time. */
export function centreDay(random: () => number, table = routeTable()): Request[] {
  const a = DAY_ASSUMPTIONS;
  const out: Request[] = [];
  const between = (lo: number, hi: number) => lo + random() * (hi - lo);
  const int = (lo: number, hi: number) => Math.floor(between(lo, hi + 1));
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)] as string;
  const normal = () => {
    // Box–Muller.
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const session = (start: number, ids: string[]) => {
    let t = start;
    for (const operationId of ids) {
      out.push({ at: Math.round(t), operationId });
      t += between(a.thinkSeconds.min, a.thinkSeconds.max) * 1000;
    }
  };
  const start = ["getConfig", "getMe", "listMyNotices"].filter((id) => table.capabilityOf.has(id));
  const residents = Math.round(a.households * a.activeShare);
  for (let i = 0; i < residents; i++) {
    const at =
      random() < a.morningShare
        ? Math.min(Math.max(8.5 * HOUR + normal() * 45 * MIN, 6 * HOUR), 12 * HOUR)
        : between(7 * HOUR, 22 * HOUR);
    const more = int(a.requestsPerResidentSession.moreMin, a.requestsPerResidentSession.moreMax);
    session(at, [...start, ...Array.from({ length: more }, () => pick(table.residentRoutes))]);
  }
  for (let s = 0; s < a.staff * a.staffSessionsPerDay; s++) {
    const n = int(a.requestsPerStaffSession.min, a.requestsPerStaffSession.max);
    session(
      between(8 * HOUR, 17.5 * HOUR),
      Array.from({ length: n }, () => pick(random() < 0.7 ? table.staffRoutes : table.residentRoutes)),
    );
  }
  return out.sort((x, y) => x.at - y.at);
}

/**
 * Replays requests (sorted by time) against per-function environments and counts the cold ones.
 * `functionOf` is the packaging: the route itself (old) or its capability (new).
 */
export function simulate(
  requests: readonly Request[],
  functionOf: (operationId: string) => string,
  options: {
    reclaimMin: number;
    durationMs?: number;
    coldExtraMs?: number;
    /** A scheduled ping to every function this often (minutes), not counted as a request. */
    keepWarmMin?: number;
  },
): { requests: number; cold: number; share: number } {
  const duration = options.durationMs ?? DAY_ASSUMPTIONS.durationMs;
  const coldExtra = options.coldExtraMs ?? DAY_ASSUMPTIONS.coldExtraMs;
  const reclaim = options.reclaimMin * MIN;
  /** Per function: each environment's end of its last request. */
  const pools = new Map<string, number[]>();
  let cold = 0;
  const pings: (Request & { ping: true })[] = [];
  if (options.keepWarmMin) {
    const functions = new Set(requests.map((r) => functionOf(r.operationId)));
    const stop = Math.max(0, ...requests.map((r) => r.at));
    for (let at = 0; at <= stop; at += options.keepWarmMin * MIN)
      for (const fn of functions) pings.push({ at, operationId: fn, ping: true });
  }
  const timeline: (Request & { ping?: true })[] = [...requests, ...pings].sort((x, y) => x.at - y.at);
  for (const r of timeline) {
    const fn = r.ping ? r.operationId : functionOf(r.operationId);
    const pool = pools.get(fn) ?? [];
    pools.set(fn, pool);
    // Environments idle longer than the reclaim time are gone.
    for (let i = pool.length - 1; i >= 0; i--) if (r.at - (pool[i] as number) > reclaim) pool.splice(i, 1);
    // The most recently used free environment serves it (as Lambda tends to reuse the warmest).
    let best = -1;
    for (let i = 0; i < pool.length; i++)
      if ((pool[i] as number) <= r.at && (best < 0 || (pool[i] as number) > (pool[best] as number))) best = i;
    if (best >= 0) pool[best] = r.at + duration;
    else {
      if (!r.ping) cold++;
      pool.push(r.at + duration + coldExtra);
    }
  }
  return { requests: requests.length, cold, share: requests.length ? cold / requests.length : 0 };
}

export interface ColdSimRow {
  scope: string;
  reclaimMin: number;
  requests: number;
  oldFunctions: number;
  oldColdShare: number;
  newFunctions: number;
  newColdShare: number;
  /** New packaging with the scheduled keep-warm ping (as deployed: infra/stack.ts). */
  newWarmColdShare: number;
  /** For comparison: every route in one API function. */
  oneFunctionColdShare: number;
}

export const COLD_GOAL = 0.02;

export function coldSimulation(seed = 20261201): { rows: ColdSimRow[]; seed: number } {
  const table = routeTable();
  const random = prng(seed);
  const centre = centreDay(random, table);
  // A district: ten centres' days, each drawn on its own, on one deployment.
  const district = Array.from({ length: 10 }, () => centreDay(random, table))
    .flat()
    .sort((x, y) => x.at - y.at);
  const rows: ColdSimRow[] = [];
  for (const [scope, requests] of [
    ["one centre (1,800 households)", centre],
    ["district (10 centres)", district],
  ] as const)
    for (const reclaimMin of [5, 15]) {
      const old = simulate(requests, (id) => id, { reclaimMin });
      const capabilityOf = (id: string) => table.capabilityOf.get(id) ?? id;
      const neu = simulate(requests, capabilityOf, { reclaimMin });
      const warm = simulate(requests, capabilityOf, { reclaimMin, keepWarmMin: KEEP_WARM_MINUTES });
      rows.push({
        scope,
        reclaimMin,
        requests: requests.length,
        oldFunctions: table.routes,
        oldColdShare: old.share,
        newFunctions: table.capabilities,
        newColdShare: neu.share,
        newWarmColdShare: warm.share,
        oneFunctionColdShare: simulate(requests, () => "api", { reclaimMin }).share,
      });
    }
  return { rows, seed };
}

const pct = (x: number) => `${round(x * 100, 2)} %`;

export function renderColdSim(result: ReturnType<typeof coldSimulation>): string {
  const a = DAY_ASSUMPTIONS;
  const centre = result.rows.filter((r) => r.scope.startsWith("one centre"));
  const goalMet = centre.every((r) => r.newWarmColdShare <= COLD_GOAL);
  return [
    "## Cold-request simulation",
    "",
    `Generated by \`npx tsx bench/cold-sim.ts\` (also part of \`npm run bench\`; seed ${result.seed}, pure computation). ` +
      `A synthetic day: ${a.households.toLocaleString("en")} households, ${a.activeShare * 100} % of them opening the mini-program ` +
      `(${a.morningShare * 100} % in a morning peak around 08:30, the rest 07:00–22:00; 3 start-up reads then ${a.requestsPerResidentSession.moreMin}–${a.requestsPerResidentSession.moreMax} more requests, ` +
      `${a.thinkSeconds.min}–${a.thinkSeconds.max} s apart), and ${a.staff} staff with ${a.staffSessionsPerDay} sessions each in office hours (08:00–17:30). ` +
      `Each environment serves one request at a time (${a.durationMs} ms, a cold one ${a.coldExtraMs} ms more) and is reclaimed after the idle time shown. ` +
      "Functions: old packaging one per deployed route, new one per capability (the workers are the same in both and not counted). " +
      `As deployed, an EventBridge rule also pings every API function every ${KEEP_WARM_MINUTES} minutes (infra/stack.ts; the ping initialises every route's module and touches no data).`,
    "",
    `| traffic | reclaim after | requests | old: functions | old: cold | new: functions | new: cold | new + ping every ${KEEP_WARM_MINUTES} min: cold | ≤ 2 % | one API function: cold |`,
    "|---|--:|--:|--:|--:|--:|--:|--:|:-:|--:|",
    ...result.rows.map(
      (r) =>
        `| ${r.scope} | ${r.reclaimMin} min | ${r.requests.toLocaleString("en")} | ${r.oldFunctions} | ${pct(r.oldColdShare)} | ${r.newFunctions} | ${pct(r.newColdShare)} | ${pct(r.newWarmColdShare)} | ${r.newWarmColdShare <= COLD_GOAL ? "yes" : "**no**"} | ${pct(r.oneFunctionColdShare)} |`,
    ),
    "",
    goalMet
      ? "Goal (≤ 2 % of one centre's requests meet a cold start, as deployed): met. Without the ping, one centre's evening and " +
        "midday gaps outlast a 5-minute reclaim and end in a cold start per capability; the ping keeps one environment of each " +
        `function, so what is left is a second request arriving while the first is served. Its cost: ${Math.round((30 * 24 * 60) / KEEP_WARM_MINUTES).toLocaleString("en")} ` +
        "invocations a month per API function (the fixed-cost table)."
      : "Goal (≤ 2 % of one centre's requests meet a cold start, as deployed): **missed**.",
  ].join("\n");
}

if (process.argv[1]?.endsWith("cold-sim.ts")) writeReportSection("cold-sim", renderColdSim(coldSimulation()));
