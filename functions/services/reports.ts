import { todayInChina } from "../../shared/dates.js";
import type { MonthlyReport } from "../../shared/schemas/reports.js";
import { DIMENSIONS } from "../../shared/schemas/surveys.js";
import { getCentre, listTeamsOfCentre } from "../data/centres-repo.js";
import {
  countersOfMonth,
  getRunning,
  type MonthVersion,
  monthVersions,
  snapshotAtOrBefore,
} from "../data/stats-repo.js";
import { readAggregates } from "../data/surveys-repo.js";
import { countsOfMonth } from "../data/worklist-repo.js";
import {
  CATCH_UP_MONTHS,
  type MonthEnd,
  monthEndFigures,
  monthEndFromFigures,
  monthEndOf,
  previousMonth,
} from "../domain/month-closing.js";
import {
  careFiguresOf,
  NET,
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
  const { centre, figures, total, state } = await centreMonthFigures(centreId, month);
  return {
    centreId,
    centreName: centre.name,
    month,
    generatedAt: new Date().toISOString(),
    teams: figures.map(({ team, f }) => reportRow(team.teamId, team.name, f)),
    total: reportRow("total", "中心合计", total),
    coverage: coverageOf(centre.population, total.signedPersons, total.priorityPersons),
    ...state,
  };
}

/** A past month's work-list counts: the team's month snapshot of them (one Query). */
const pastCounts = (teamId: string, month: string) =>
  countsOfMonth(teamId, month, todayInChina().slice(0, 7));

export interface TeamFigures {
  team: { teamId: string; name: string };
  f: TeamMonthFigures;
}

/** Whether a month is closed (and as of which revision), and its revisions with their dates. */
export interface MonthState {
  closed: { closedAt: string; revision: number } | null;
  revisions: { revision: number; at: string; changes: MonthVersion["changes"] }[];
}

export const stateOf = (versions: readonly MonthVersion[]): MonthState => {
  const first = versions[0];
  const latest = versions.at(-1);
  return {
    closed: first && latest ? { closedAt: first.at, revision: latest.revision } : null,
    revisions: versions
      .filter((v) => v.revision > 0)
      .map(({ revision, at, changes }) => ({ revision, at, changes })),
  };
};

/**
 * A centre-month's figures per team and in total (the report's reads). The current month is read
 * live (the team items and running figures: "so far"); a closed month is its latest version, as
 * closed or revised; a past month not closed yet is computed from its facts as a closing would.
 */
export async function centreMonthFigures(centreId: string, month: string) {
  const centre = await getCentre(centreId);
  if (!centre) throw notFound("中心不存在");
  if (month < todayInChina().slice(0, 7)) {
    const versions = await monthVersions(centreId, month);
    const latest = versions.at(-1);
    if (latest) {
      const figures = await Promise.all(
        latest.teams.map(async ({ teamId, name, f }) => ({
          team: { teamId, name },
          // Months closed before the care figures existed: the work-list's own month snapshot.
          f: { ...f, care: f.care ?? careFiguresOf(await pastCounts(teamId, month)) },
        })),
      );
      const care =
        latest.total.care ??
        sumFigures(
          figures.map((x) => x.f),
          {},
          latest.total.satisfaction,
        ).care;
      return { centre, figures, total: { ...latest.total, care }, state: stateOf(versions) };
    }
    return { centre, ...(await monthFromFacts(centreId, month)), state: stateOf([]) };
  }
  const [teams, counters, sat] = await Promise.all([
    allTeams(centreId),
    countersOfMonth(centreId, month),
    readAggregates(centreId, [month], ""),
  ]);
  const countersOf = (scope: string) => counters.find((c) => c.scope === scope)?.counters ?? {};
  const satBy = new Map(sat.items.map((i) => [i.group, i.figures]));
  const figures: TeamFigures[] = [];
  for (const team of teams.sort((a, b) => a.name.localeCompare(b.name, "zh"))) {
    // This month: the team item and running figures, and the work-list's live counts.
    const [running, work] = await Promise.all([
      getRunning(team.teamId),
      countsOfMonth(team.teamId, month, month),
    ]);
    const live = { ...numbers(running) };
    live.signedHouseholds = team.signedHouseholds ?? 0;
    live.signedPersons = team.signedPersons ?? 0;
    figures.push({
      team,
      f: {
        counters: countersOf(`TEAM#${team.teamId}`),
        ...monthEndFigures(live),
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
  return { centre, figures, total, state: stateOf([]) };
}

/**
 * A past month from its facts alone: the counters bucketed by the month of each event, and each
 * team's month end as the month before's end (its closed version) plus this month's net movement.
 * Read consistently, as closing and revising need every counter the projector has written.
 */
export async function monthFromFacts(
  centreId: string,
  month: string,
  options: { consistent?: boolean } = {},
  /** How many months back an open month's end is looked for before the old snapshots are. */
  depth = CATCH_UP_MONTHS,
): Promise<{ figures: TeamFigures[]; total: TeamMonthFigures }> {
  const before = previousMonth(month);
  const [teams, counters, sat, baseVersions] = await Promise.all([
    allTeams(centreId),
    countersOfMonth(centreId, month, options),
    readAggregates(centreId, [month], ""),
    monthVersions(centreId, before),
  ]);
  // The month before as closed, or (not closed either) as its own facts say.
  const base =
    baseVersions.at(-1) ??
    (depth > 1
      ? {
          teams: (await monthFromFacts(centreId, before, options, depth - 1)).figures.map(({ team, f }) => ({
            teamId: team.teamId,
            f,
          })),
        }
      : undefined);
  const countersOf = (scope: string) => counters.find((c) => c.scope === scope)?.counters ?? {};
  const satBy = new Map(sat.items.map((i) => [i.group, i.figures]));
  const figures: TeamFigures[] = [];
  for (const team of teams.sort((a, b) => a.name.localeCompare(b.name, "zh"))) {
    const own = countersOf(`TEAM#${team.teamId}`);
    let start: MonthEnd;
    const closed = base?.teams.find((t) => t.teamId === team.teamId);
    if (closed) start = monthEndFromFigures(closed.f);
    else if (base) start = {};
    else {
      // No closed month before (a new centre, or data from before months were closed): the
      // snapshots written until then; with no net movement this month, its own, else the last one's.
      const moved = Object.keys(own).some((k) => k.startsWith(NET));
      start = numbers(await snapshotAtOrBefore(team.teamId, moved ? before : month));
    }
    figures.push({
      team: { teamId: team.teamId, name: team.name },
      f: {
        counters: own,
        ...monthEndFigures(monthEndOf(start, own)),
        satisfaction: satOf(satBy.get(`TEAM#${team.teamId}`)),
        care: careFiguresOf(await pastCounts(team.teamId, month)),
      },
    });
  }
  const total = sumFigures(
    figures.map((x) => x.f),
    countersOf("CENTRE"),
    satOf(satBy.get("ALL")),
  );
  return { figures, total };
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
