import { todayInChina } from "../../shared/dates.js";
import type { EntitlementType } from "../../shared/schemas/contracts.js";
import type { MonthlyReport } from "../../shared/schemas/reports.js";
import { DIMENSIONS } from "../../shared/schemas/surveys.js";
import { getCentre, listTeamsOfCentre } from "../data/centres-repo.js";
import { countersOfMonth, getRunning, snapshotAtOrBefore } from "../data/stats-repo.js";
import { readAggregates } from "../data/surveys-repo.js";
import { countsOfMonth } from "../data/worklist-repo.js";
import {
  careFiguresOf,
  REPORT_COLUMNS,
  reportCsv,
  reportRow,
  sumFigures,
  type TeamMonthFigures,
} from "../domain/reports.js";
import type { AggregateFigures } from "../domain/surveys.js";
import type { TeamRecord } from "../domain/teams.js";
import { forbidden, notFound } from "../lib/errors.js";
import type { Session } from "../lib/session.js";
import { isManagerOf } from "./access.js";

/**
 * The monthly report, read from counter items only: one Query for the month's counters, one for
 * its satisfaction aggregates, one for the teams, and per team one Get or Query for its month-end
 * figures and one for its work-list counts (chronic patients on schedule, assessments done), so the
 * cost grows with the number of teams and never with contracts, visits or residents.
 */
const satOf = (f?: AggregateFigures) => {
  let sum = 0;
  let count = 0;
  for (const d of DIMENSIONS) {
    sum += f?.sums[d] ?? 0;
    count += f?.counts[d] ?? 0;
  }
  return { responses: f?.responses ?? 0, sum, count };
};

const numbers = (item: Record<string, unknown> | undefined) => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(item ?? {})) if (typeof v === "number") out[k] = v;
  return out;
};

const entitledOf = (figures: Record<string, number>) => {
  const out: Partial<Record<EntitlementType, number>> = {};
  for (const [k, v] of Object.entries(figures))
    if (k.startsWith("ent_") && v > 0) out[k.slice(4) as EntitlementType] = v;
  return out;
};

async function allTeams(centreId: string): Promise<TeamRecord[]> {
  const teams: TeamRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await listTeamsOfCentre(centreId, 100, cursor);
    teams.push(...res.items);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return teams;
}

export async function buildMonthlyReport(centreId: string, month: string): Promise<MonthlyReport> {
  const { centre, figures, total } = await centreMonthFigures(centreId, month);
  return {
    centreId,
    centreName: centre.name,
    month,
    generatedAt: new Date().toISOString(),
    teams: figures.map(({ team, f }) => reportRow(team.teamId, team.name, f)),
    total: reportRow("total", "中心合计", total),
    coverage: coverageOf(centre.population, total.signedPersons, total.priorityPersons),
  };
}

/** A centre-month's figures per team and in total, from the counter items (the report's reads). */
export async function centreMonthFigures(centreId: string, month: string) {
  const centre = await getCentre(centreId);
  if (!centre) throw notFound("中心不存在");
  const current = todayInChina().slice(0, 7);
  const [teams, counters, sat] = await Promise.all([
    allTeams(centreId),
    countersOfMonth(centreId, month),
    readAggregates(centreId, [month], ""),
  ]);
  const countersOf = (scope: string) => counters.find((c) => c.scope === scope)?.counters ?? {};
  const satBy = new Map(sat.items.map((i) => [i.group, i.figures]));
  const figures: { team: TeamRecord; f: TeamMonthFigures }[] = [];
  for (const team of teams.sort((a, b) => a.name.localeCompare(b.name, "zh"))) {
    // This month: the live team item and running figures; a past month: its month-end snapshot.
    let month_end: Record<string, number>;
    // The work-list's figures: its live counts, or its own month snapshot (one read either way).
    const [stats, work] = await Promise.all([
      month >= current ? getRunning(team.teamId) : snapshotAtOrBefore(team.teamId, month),
      countsOfMonth(team.teamId, month, current),
    ]);
    if (month >= current) {
      month_end = {
        ...numbers(stats),
        signedHouseholds: team.signedHouseholds ?? 0,
        signedPersons: team.signedPersons ?? 0,
      };
    } else {
      month_end = numbers(stats);
    }
    figures.push({
      team,
      f: {
        counters: countersOf(`TEAM#${team.teamId}`),
        signedHouseholds: month_end.signedHouseholds ?? 0,
        signedPersons: month_end.signedPersons ?? 0,
        activePersons: month_end.activePersons ?? 0,
        priorityPersons: month_end.priorityPersons ?? 0,
        entitled: entitledOf(month_end),
        satisfaction: satOf(satBy.get(`TEAM#${team.teamId}`)),
        care: careFiguresOf(work),
      },
    });
  }
  const total = sumFigures(
    figures.map((x) => x.f),
    countersOf("CENTRE"),
    satOf(satBy.get("ALL")),
  );
  return { centre, figures, total };
}

/** The 2035 targets of the 2022 national guideline: 75% of residents, 85% of priority groups. */
export const COVERAGE_TARGETS = { overall: 0.75, priority: 0.85 } as const;

export function coverageOf(
  population: { residents: number; priority: number } | undefined,
  signed: number,
  priority: number,
) {
  if (!population?.residents || !population.priority) return null;
  const share = (n: number, of: number) => Math.round((n / of) * 10_000) / 10_000;
  return {
    population: population.residents,
    priorityPopulation: population.priority,
    overall: share(signed, population.residents),
    priority: share(priority, population.priority),
    targets: COVERAGE_TARGETS,
  };
}

export async function reportXlsx(
  report: Pick<MonthlyReport, "teams" | "total" | "month" | "generatedAt">,
  firstHeader = "团队",
): Promise<Buffer> {
  // Loaded only for an XLSX download: it is most of this function's bundle and its cold start.
  const { default: ExcelJS } = await import("exceljs");
  const book = new ExcelJS.Workbook();
  book.creator = "家医 Jiayi";
  book.created = new Date(report.generatedAt);
  const sheet = book.addWorksheet(`${report.month} 月报`);
  sheet.columns = REPORT_COLUMNS.map((c, i) => ({
    header: i === 0 ? firstHeader : c.header,
    key: `c${i}`,
    width: c.width ?? Math.max(10, c.header.length * 2 + 2),
    style: c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: "frozen", ySplit: 1, xSplit: 1 }];
  for (const row of [...report.teams, report.total]) {
    sheet.addRow(Object.fromEntries(REPORT_COLUMNS.map((c, i) => [`c${i}`, c.value(row)])));
  }
  sheet.getRow(sheet.rowCount).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

export async function monthlyReport(session: Session, centreId: string, month: string | undefined) {
  if (!isManagerOf(session, centreId)) throw forbidden("只有本中心管理员可以查看月报");
  return buildMonthlyReport(centreId, month ?? todayInChina().slice(0, 7));
}

export { reportCsv };
