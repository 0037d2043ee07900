import { describe, expect, it } from "vitest";
import { coldSimulation, prng, type Request, routeTable, simulate } from "./cold-sim.js";

const MIN = 60_000;
const every = (minutes: number, count: number, operationId = "getMe"): Request[] =>
  Array.from({ length: count }, (_, i) => ({ at: i * minutes * MIN, operationId }));

describe("the cold-request simulator", () => {
  it("keeps a request every 4 minutes warm under 5-minute reclaim: only the first is cold", () => {
    expect(simulate(every(4, 100), (id) => id, { reclaimMin: 5 })).toEqual({
      requests: 100,
      cold: 1,
      share: 0.01,
    });
  });

  it("lets a request every 6 minutes find its environment reclaimed each time", () => {
    expect(simulate(every(6, 50), (id) => id, { reclaimMin: 5 }).cold).toBe(50);
    expect(simulate(every(6, 50), (id) => id, { reclaimMin: 15 }).cold).toBe(1);
  });

  it("starts a second environment for a request that arrives while the first is busy", () => {
    const burst: Request[] = [
      { at: 0, operationId: "a" },
      { at: 10, operationId: "a" },
      { at: 5_000, operationId: "a" },
    ];
    // 120 ms each: the second overlaps the first (cold), the third reuses a warm one.
    expect(simulate(burst, (id) => id, { reclaimMin: 5 }).cold).toBe(2);
  });

  it("shares warm environments between the routes of one function", () => {
    const two: Request[] = [
      { at: 0, operationId: "getMe" },
      { at: MIN, operationId: "updateMyProfile" },
    ];
    expect(simulate(two, (id) => id, { reclaimMin: 5 }).cold).toBe(2);
    expect(simulate(two, () => "identity", { reclaimMin: 5 }).cold).toBe(1);
  });

  it("lets a ping every 4 minutes keep a function warm through 5-minute reclaim, without counting the pings", () => {
    // A request every 30 minutes (from minute 1): each would be cold; with the ping none is (the
    // ping at minute 0 meets the cold start), and the pings are not requests.
    const sparse = every(30, 20).map((r) => ({ ...r, at: r.at + MIN }));
    expect(simulate(sparse, (id) => id, { reclaimMin: 5 }).cold).toBe(20);
    expect(simulate(sparse, (id) => id, { reclaimMin: 5, keepWarmMin: 4 })).toEqual({
      requests: 20,
      cold: 0,
      share: 0,
    });
    // A second request while the first is served still needs a second environment.
    const overlap: Request[] = [
      { at: 60 * MIN, operationId: "a" },
      { at: 60 * MIN + 10, operationId: "a" },
    ];
    expect(simulate(overlap, (id) => id, { reclaimMin: 5, keepWarmMin: 4 }).cold).toBe(1);
  });

  it("repeats itself for a seed, and never does worse with fewer, larger functions", () => {
    expect(prng(7)()).toBe(prng(7)());
    const a = coldSimulation(1);
    expect(coldSimulation(1)).toEqual(a);
    const table = routeTable();
    for (const row of a.rows) {
      expect(row.oldFunctions).toBe(table.routes);
      expect(row.newFunctions).toBe(table.capabilities);
      expect(row.newColdShare).toBeLessThan(row.oldColdShare);
      expect(row.oneFunctionColdShare).toBeLessThanOrEqual(row.newColdShare);
      expect(row.newWarmColdShare).toBeLessThanOrEqual(row.newColdShare);
      // Longer reclaim, fewer cold starts.
      if (row.reclaimMin === 15) {
        const five = a.rows.find((r) => r.scope === row.scope && r.reclaimMin === 5);
        expect(row.newColdShare).toBeLessThanOrEqual(five?.newColdShare ?? 1);
      }
    }
  });
});
