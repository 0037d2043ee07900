import { describe, expect, it } from "vitest";
import { householdNoticedMark } from "./notices-repo.js";

describe("the household's reached-this-year mark", () => {
  it("counts a delivery on Shanghai's New Year's morning in the new year, though UTC is still in the old", () => {
    // Prepare: 00:30 on 1 January 2027 in Shanghai
    const at = new Date("2026-12-31T16:30:00Z");
    // Act
    const mark = householdNoticedMark(at, "h_1", "n_1");
    // Assess
    expect(mark.pk).toBe("HHNOTICE#2027#h_1");
  });

  it("keeps the old year until Shanghai's midnight", () => {
    expect(householdNoticedMark(new Date("2026-12-31T15:59:59Z"), "h_1", "n_1").pk).toBe("HHNOTICE#2026#h_1");
  });
});
