import { describe, expect, it } from "vitest";
import { PROJECTED_TYPES } from "../../functions/domain/reports.js";
import { matchesFilter, STREAM_FILTERS } from "./stream-filter.js";

const record = (eventName: string, type?: string) => ({
  eventName,
  dynamodb: type ? { NewImage: { type: { S: type } }, Keys: {} } : { Keys: {} },
});

describe("the stats projector's stream filter", () => {
  const pattern = STREAM_FILTERS.statsProjector;
  if (!pattern) throw new Error("no filter for statsProjector");

  it("lets through inserts and changes of every type the projector counts", () => {
    for (const type of PROJECTED_TYPES)
      for (const eventName of ["INSERT", "MODIFY"])
        expect(matchesFilter(pattern, record(eventName, type)), `${eventName} ${type}`).toBe(true);
  });

  it("drops removals, the projector's own writes and records without a new image", () => {
    expect(matchesFilter(pattern, record("REMOVE", "Contract"))).toBe(false);
    expect(matchesFilter(pattern, record("INSERT", "StreamMarker"))).toBe(false);
    expect(matchesFilter(pattern, record("MODIFY", "ReportCounter"))).toBe(false);
    expect(matchesFilter(pattern, record("INSERT"))).toBe(false);
  });
});
