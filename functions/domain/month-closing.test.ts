import { describe, expect, it } from "vitest";
import { closable, monthEnd, monthEndOf, previousMonth, rowChanges } from "./month-closing.js";
import { projectContract, projectTeam, reportRow, type TeamMonthFigures } from "./reports.js";
import { monthOf } from "./surveys.js";

const empty: TeamMonthFigures = {
  counters: {},
  signedHouseholds: 0,
  signedPersons: 0,
  activePersons: 0,
  priorityPersons: 0,
  entitled: {},
  satisfaction: { responses: 0, sum: 0, count: 0 },
  care: { chronicPatients: 0, followupBehind: 0, assessmentsDone: 0 },
};

describe("month closing rules", () => {
  it("ends a month at midnight in Asia/Shanghai, and buckets instants by that midnight", () => {
    expect(monthEnd("2026-03")).toBe("2026-03-31T16:00:00.000Z");
    expect(monthEnd("2026-12")).toBe("2026-12-31T16:00:00.000Z");
    expect(previousMonth("2026-01")).toBe("2025-12");
    expect(monthOf("2026-03-31T15:59:59.999Z")).toBe("2026-03");
    expect(monthOf("2026-03-31T16:00:00.000Z")).toBe("2026-04");
  });

  it("closes a month only a day after its end, and only once the projector is past that", () => {
    const now = new Date("2026-04-02T00:10:00+08:00");
    expect(closable("2026-03", now, "2026-04-02T00:05:00+08:00")).toBe(true);
    // The projector still behind the day after month end
    expect(closable("2026-03", now, "2026-04-01T23:59:00+08:00")).toBe(false);
    expect(closable("2026-03", now, undefined)).toBe(false);
    // Too early, whatever the position says
    expect(closable("2026-03", new Date("2026-04-01T23:00:00+08:00"), "2026-04-03T00:00:00Z")).toBe(false);
  });

  it("counts a team's month-end movement in the month of the change", () => {
    const team = (n: number) => ({ teamId: "t1", centreId: "c1", signedHouseholds: n, signedPersons: n });
    expect(projectTeam(team(1), team(2), "2026-03-31T16:00:01Z")?.counters).toEqual([
      { month: "2026-04", teamId: "t1", field: "net_signedHouseholds", by: 1 },
      { month: "2026-04", teamId: "t1", field: "net_signedPersons", by: 1 },
    ]);
    expect(projectTeam(team(2), { ...team(2), name: "renamed" }, "2026-03-31T16:00:01Z")).toBeNull();
    const signed = projectContract(
      undefined,
      {
        centreId: "c1",
        teamId: "t1",
        status: "active",
        packages: [{ items: [{ type: "home_visit", timesPerYear: 2 }] }],
      },
      "2026-03-31T15:59:59Z",
    );
    expect(signed?.counters).toEqual(
      expect.arrayContaining([
        { month: "2026-03", teamId: "t1", field: "net_activePersons", by: 1 },
        { month: "2026-03", teamId: "t1", field: "net_ent_home_visit", by: 2 },
      ]),
    );
    expect(
      monthEndOf(
        { signedPersons: 5, ent_home_visit: 2 },
        { net_signedPersons: -1, net_ent_home_visit: 2, contractsNew: 3 },
      ),
    ).toEqual({
      signedPersons: 4,
      ent_home_visit: 4,
    });
  });

  it("lists what a revision changed, row by row", () => {
    const before = [reportRow("t1", "一队", { ...empty, counters: { appointmentsCompleted: 1 } })];
    const after = [
      reportRow("t1", "一队", { ...empty, counters: { appointmentsNoShow: 1, svc_consultation: 1 } }),
    ];
    expect(rowChanges(before, before)).toEqual([]);
    expect(rowChanges(before, after)).toEqual(
      [
        { key: "t1", field: "servicesDelivered", from: 0, to: 1 },
        { key: "t1", field: "appointmentsCompleted", from: 1, to: 0 },
        { key: "t1", field: "appointmentsNoShow", from: 0, to: 1 },
        { key: "t1", field: "services.consultation.delivered", from: null, to: 1 },
        { key: "t1", field: "services.consultation.entitled", from: null, to: 0 },
        { key: "t1", field: "services.consultation.fulfilmentRate", from: null, to: null },
      ].filter((c) => c.from !== c.to),
    );
  });
});
