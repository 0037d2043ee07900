import { describe, expect, it } from "vitest";
import {
  addMonths,
  checkDates,
  contractItems,
  expectedByNow,
  followupStatus,
  monthsElapsed,
  type ResidentFacts,
  rostersOf,
  stepDate,
} from "./worklist.js";

describe("followup_behind: the pro-rata rule", () => {
  it("expects 4-a-year follow-ups one per quarter, counted at month boundaries", () => {
    const start = "2026-01-15";
    expect(expectedByNow(4, start, "2026-04-14")).toBe(0);
    expect(expectedByNow(4, start, "2026-04-15")).toBe(1);
    expect(expectedByNow(4, start, "2026-07-14")).toBe(1);
    expect(expectedByNow(4, start, "2026-07-15")).toBe(2);
    expect(expectedByNow(4, start, "2026-10-15")).toBe(3);
    expect(expectedByNow(4, start, "2027-01-14")).toBe(3);
    expect(expectedByNow(4, start, "2027-01-15")).toBe(4);
  });

  it("clamps a month-end start to shorter months (31 January → 28 February, then 31 March)", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(monthsElapsed("2026-01-31", "2026-02-27")).toBe(0);
    expect(monthsElapsed("2026-01-31", "2026-02-28")).toBe(1);
    expect(monthsElapsed("2026-01-31", "2026-03-30")).toBe(1);
    expect(monthsElapsed("2026-01-31", "2026-03-31")).toBe(2);
    expect(addMonths("2028-02-29", 12)).toBe("2029-02-28");
  });

  it("names the day the first missing follow-up became expected", () => {
    expect(stepDate(4, "2026-01-15", 1)).toBe("2026-04-15");
    expect(stepDate(4, "2026-01-15", 2)).toBe("2026-07-15");
    expect(stepDate(4, "2026-01-15", 5)).toBeNull();
    expect(stepDate(6, "2026-01-15", 1)).toBe("2026-03-15");
    expect(followupStatus(4, 1, "2026-01-15", "2026-07-14")).toMatchObject({ behind: false, expected: 1 });
    expect(followupStatus(4, 1, "2026-01-15", "2026-07-15")).toEqual({
      behind: true,
      expected: 2,
      dueBy: "2026-07-15",
    });
    expect(followupStatus(4, 2, "2026-01-15", "2026-07-15").behind).toBe(false);
  });
});

const running = (over: Partial<NonNullable<ResidentFacts["contract"]>> = {}): ResidentFacts["contract"] => ({
  contractId: "k_1",
  status: "active",
  appliedAt: "2026-01-10T00:00:00Z",
  startDate: "2026-01-15",
  endDate: "2027-01-14",
  delivered: {},
  packages: [],
  teamId: "t_1",
  ...over,
});
const at = (date: string) => new Date(`${date}T12:00:00+08:00`);
const kinds = (facts: ResidentFacts, date: string) => contractItems(facts, at(date), 72).map((i) => i.kind);

describe("contract items", () => {
  const base: ResidentFacts = { groups: [], householdReached: true, reminderRead: false };

  it("puts an application on the list once the review deadline has passed, and no sooner", () => {
    const contract = running({ status: "pending", appliedAt: "2026-03-01T00:00:00Z", startDate: undefined });
    expect(contractItems({ ...base, contract }, new Date("2026-03-03T23:59:00Z"), 72)).toEqual([]);
    expect(kinds({ ...base, contract }, "2026-03-05")).toEqual(["review_overdue"]);
  });

  it("derives follow-ups, assessment, home visit, renewal and reach from the facts", () => {
    const facts = {
      ...base,
      contract: running(),
      groups: ["chronic", "elderly80"] as ResidentFacts["groups"],
    };
    expect(kinds(facts, "2026-04-14")).toEqual(["home_visit_due"]);
    expect(kinds(facts, "2026-04-15")).toEqual(["followup_behind", "home_visit_due"]);
    expect(
      kinds(
        { ...facts, contract: running({ delivered: { chronic_followup: 1, home_visit: 1 } }) },
        "2026-04-15",
      ),
    ).toEqual([]);
    expect(kinds({ ...facts, groups: [] }, "2026-11-15")).toEqual(["assessment_due"]);
    expect(
      kinds(
        { ...facts, groups: [], contract: running({ delivered: { annual_assessment: 1 } }) },
        "2026-12-20",
      ),
    ).toEqual(["renewal_at_risk"]);
    expect(
      kinds(
        {
          ...facts,
          groups: [],
          reminderRead: true,
          contract: running({ delivered: { annual_assessment: 1 } }),
        },
        "2026-12-20",
      ),
    ).toEqual([]);
    expect(
      kinds(
        { ...base, contract: running({ delivered: { annual_assessment: 1 } }), householdReached: false },
        "2026-05-01",
      ),
    ).toEqual(["not_reached"]);
    expect(kinds({ ...base, contract: running({ status: "terminated" }) }, "2026-12-20")).toEqual([]);
  });

  it("schedules the daily job's re-evaluations on the days a result can change", () => {
    const facts = { ...base, contract: running(), groups: ["chronic"] as ResidentFacts["groups"] };
    expect(checkDates(facts, at("2026-01-15"), 72)).toEqual([
      "2026-04-15",
      "2026-07-15",
      "2026-10-15",
      "2026-11-15",
      "2026-12-15",
      "2027-01-01",
      "2027-01-15",
    ]);
    expect(checkDates(facts, at("2026-10-20"), 72)[0]).toBe("2026-11-15");
    const pending = { ...base, contract: running({ status: "pending", appliedAt: "2026-03-01T07:00:00Z" }) };
    // Due at 2026-03-04 15:00 China time: the 00:10 run of the 5th is the first to see it overdue.
    expect(checkDates(pending, new Date("2026-03-01T07:00:00Z"), 72)).toEqual(["2026-03-05"]);
  });
});

describe("care rosters (the monthly report's shares)", () => {
  it("puts a running chronic patient on the chronic roster, and an assessed contract year on the assessed one", () => {
    const chronic = ["chronic"] as ResidentFacts["groups"];
    expect(rostersOf({ contract: running(), groups: chronic })).toEqual(["chronic"]);
    expect(rostersOf({ contract: running({ delivered: { annual_assessment: 1 } }), groups: [] })).toEqual([
      "assessed",
    ]);
    expect(rostersOf({ contract: running({ status: "terminating" }), groups: chronic })).toEqual(["chronic"]);
    // Pending, ended or no contract: on no roster.
    expect(
      rostersOf({ contract: running({ status: "pending", startDate: undefined }), groups: chronic }),
    ).toEqual([]);
    expect(rostersOf({ contract: running({ status: "renewed" }), groups: chronic })).toEqual([]);
    expect(rostersOf({ groups: chronic })).toEqual([]);
  });

  it("holds every resident whose follow-ups can fall behind (followup_behind ⊆ chronic roster)", () => {
    const facts: ResidentFacts = {
      contract: running(),
      groups: ["chronic"],
      householdReached: true,
      reminderRead: true,
    };
    for (const date of ["2026-04-15", "2026-07-15", "2026-12-20"]) {
      expect(kinds(facts, date)).toContain("followup_behind");
      expect(rostersOf(facts)).toContain("chronic");
    }
    expect(kinds({ ...facts, groups: [] }, "2026-07-15")).not.toContain("followup_behind");
  });
});
