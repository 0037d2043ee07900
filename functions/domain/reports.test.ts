import { describe, expect, it } from "vitest";
import {
  careFiguresOf,
  NO_CARE,
  REPORT_COLUMNS,
  reportRow,
  sumFigures,
  type TeamMonthFigures,
} from "./reports.js";

const figures = (over: Partial<TeamMonthFigures> = {}): TeamMonthFigures => ({
  counters: {},
  signedHouseholds: 0,
  signedPersons: 0,
  activePersons: 0,
  priorityPersons: 0,
  entitled: {},
  satisfaction: { responses: 0, sum: 0, count: 0 },
  care: NO_CARE,
  ...over,
});

describe("the report's care figures (from the work-list)", () => {
  it("reads chronic patients, open followup_behind items and assessments done from a counts item", () => {
    expect(
      careFiguresOf({
        chronicPatients: 5,
        followup_behind: 2,
        assessmentsDone: 3,
        not_reached: 9,
        version: 40,
      }),
    ).toEqual({ chronicPatients: 5, followupBehind: 2, assessmentsDone: 3 });
    // No counts yet (a team without items), or a count briefly below zero: 0.
    expect(careFiguresOf(undefined)).toEqual(NO_CARE);
    expect(careFiguresOf({ followup_behind: -1 })).toEqual(NO_CARE);
  });

  it("makes on schedule = chronic patients − followup_behind, and the shares", () => {
    const row = reportRow(
      "t1",
      "一团队",
      figures({ activePersons: 8, care: { chronicPatients: 4, followupBehind: 1, assessmentsDone: 2 } }),
    );
    expect(row).toMatchObject({
      chronicPatients: 4,
      chronicOnSchedule: 3,
      chronicOnScheduleRate: 0.75,
      assessmentsDone: 2,
      assessmentRate: 0.25,
    });
    // No chronic patient, no running contract: no share (null, an empty cell), never a division by 0.
    expect(reportRow("t2", "二团队", figures())).toMatchObject({
      chronicOnSchedule: 0,
      chronicOnScheduleRate: null,
      assessmentRate: null,
    });
    // Between an item's write and its roster entry's: never below zero.
    const between = reportRow("t3", "三", figures({ care: { ...NO_CARE, followupBehind: 1 } }));
    expect(between.chronicOnSchedule).toBe(0);
  });

  it("sums the teams into the centre total, shares computed from the sums", () => {
    const total = sumFigures(
      [
        figures({ activePersons: 10, care: { chronicPatients: 4, followupBehind: 1, assessmentsDone: 5 } }),
        figures({ activePersons: 10, care: { chronicPatients: 6, followupBehind: 4, assessmentsDone: 3 } }),
      ],
      {},
      { responses: 0, sum: 0, count: 0 },
    );
    expect(reportRow("total", "中心合计", total)).toMatchObject({
      chronicPatients: 10,
      chronicOnSchedule: 5,
      chronicOnScheduleRate: 0.5,
      assessmentsDone: 8,
      assessmentRate: 0.4,
    });
  });

  it("puts them in the CSV and spreadsheet columns, counts as integers and shares as percentages", () => {
    const row = reportRow(
      "t1",
      "一团队",
      figures({ activePersons: 8, care: { chronicPatients: 4, followupBehind: 1, assessmentsDone: 2 } }),
    );
    const column = (header: string) => REPORT_COLUMNS.find((c) => c.header === header);
    expect(column("慢病患者人数")?.value(row)).toBe(4);
    expect(column("慢病随访按期人数")?.value(row)).toBe(3);
    expect(column("慢病随访按期率")).toMatchObject({ numFmt: "0.0%" });
    expect(column("慢病随访按期率")?.value(row)).toBe(0.75);
    expect(column("年度评估完成人数")?.value(row)).toBe(2);
    expect(column("年度评估完成率")?.value(row)).toBe(0.25);
  });
});
