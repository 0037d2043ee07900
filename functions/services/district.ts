import { todayInChina } from "../../shared/dates.js";
import type { DistrictMonthlyReport } from "../../shared/schemas/reports.js";
import { DIMENSIONS, type DISTRICT_SATISFACTION_GROUPS } from "../../shared/schemas/surveys.js";
import { getCentre } from "../data/centres-repo.js";
import { getDistrict } from "../data/districts-repo.js";
import { readAggregates } from "../data/surveys-repo.js";
import { reportRow, sumFigures, type TeamMonthFigures } from "../domain/reports.js";
import {
  type AggregateFigures,
  addFigures,
  emptyFigures,
  monthsBetween,
  scoreView,
} from "../domain/surveys.js";
import { ApiError, forbidden, notFound } from "../lib/errors.js";
import type { Session } from "../lib/session.js";
import { COVERAGE_TARGETS, centreMonthFigures, coverageOf } from "./reports.js";
import { rangeOrCurrentMonth } from "./surveys.js";

/**
 * The district's view (区卫健委): read only, over the centres of one district, from the same
 * counter and aggregate items the centres' own reports read (the cost grows with centres and
 * teams, never with residents).
 */
async function districtOf(session: Session, districtId: string) {
  if (!session.roles.includes("district") || session.districtId !== districtId)
    throw forbidden("只能查看本区的数据");
  const district = await getDistrict(districtId);
  if (!district) throw notFound("辖区不存在");
  return district;
}

const addCounters = (into: Record<string, number>, more: Record<string, number>) => {
  for (const [k, v] of Object.entries(more)) into[k] = (into[k] ?? 0) + v;
  return into;
};

export async function districtMonthlyReport(
  session: Session,
  districtId: string,
  month = todayInChina().slice(0, 7),
): Promise<DistrictMonthlyReport> {
  const district = await districtOf(session, districtId);
  const centres = [];
  for (const centreId of district.centreIds) centres.push(await centreMonthFigures(centreId, month));
  centres.sort((a, b) => a.centre.name.localeCompare(b.centre.name, "zh"));
  // The district total: each centre's total summed (month-end values, counters and satisfaction).
  const counters: Record<string, number> = {};
  const sat = { responses: 0, sum: 0, count: 0 };
  for (const { total } of centres) {
    addCounters(counters, total.counters);
    sat.responses += total.satisfaction.responses;
    sat.sum += total.satisfaction.sum;
    sat.count += total.satisfaction.count;
  }
  const total: TeamMonthFigures = sumFigures(
    centres.map((c) => c.total),
    counters,
    sat,
  );
  const coverage = [];
  const withPopulation = { residents: 0, priority: 0, signed: 0, prioritySigned: 0 };
  for (const { centre, total: t } of centres) {
    const c = coverageOf(centre.population, t.signedPersons, t.priorityPersons);
    if (!c || !centre.population) continue;
    coverage.push({ key: centre.centreId, ...c, meetsTargets: meets(c) });
    withPopulation.residents += centre.population.residents;
    withPopulation.priority += centre.population.priority;
    withPopulation.signed += t.signedPersons;
    withPopulation.prioritySigned += t.priorityPersons;
  }
  const all = coverageOf(
    { residents: withPopulation.residents, priority: withPopulation.priority },
    withPopulation.signed,
    withPopulation.prioritySigned,
  );
  if (all) coverage.push({ key: "total", ...all, meetsTargets: meets(all) });
  return {
    districtId,
    districtName: district.name,
    month,
    generatedAt: new Date().toISOString(),
    centres: centres.map(({ centre, total: t }) => reportRow(centre.centreId, centre.name, t)),
    total: reportRow("total", `${district.name}合计`, total),
    coverage,
    // Closed when every centre's month is; each centre's revisions, by date.
    closed:
      centres.length && centres.every((c) => c.state.closed)
        ? {
            closedAt:
              centres
                .map((c) => c.state.closed?.closedAt ?? "")
                .sort()
                .at(-1) ?? "",
          }
        : null,
    revisions: centres
      .flatMap(({ centre, state }) => state.revisions.map((r) => ({ centreId: centre.centreId, ...r })))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
  };
}

const meets = (c: { overall: number; priority: number }) => ({
  overall: c.overall >= COVERAGE_TARGETS.overall,
  priority: c.priority >= COVERAGE_TARGETS.priority,
});

const MAX_MONTHS = 36;

/** Scores per centre, month or dimension over the district, with the same 5-response floor. */
export async function districtSatisfaction(
  session: Session,
  districtId: string,
  query: { from?: string; to?: string; groupBy: (typeof DISTRICT_SATISFACTION_GROUPS)[number] },
) {
  const district = await districtOf(session, districtId);
  const range = rangeOrCurrentMonth(query.from, query.to);
  const months = monthsBetween(range.from, range.to, MAX_MONTHS + 1);
  if (months.length > MAX_MONTHS)
    throw new ApiError(400, "VALIDATION_FAILED", `日期范围不能超过 ${MAX_MONTHS} 个月`, [
      { path: "to", message: `日期范围不能超过 ${MAX_MONTHS} 个月` },
    ]);
  const groups = new Map<string, AggregateFigures>();
  const names = new Map<string, string>();
  const total = emptyFigures();
  for (const centreId of district.centreIds) {
    const centre = await getCentre(centreId);
    if (centre) names.set(centreId, centre.name);
    const read = await readAggregates(centreId, months, "ALL");
    for (const item of read.items) {
      const key = query.groupBy === "centre" ? centreId : query.groupBy === "month" ? item.month : "ALL";
      groups.set(key, addFigures(groups.get(key) ?? emptyFigures(), item.figures));
      addFigures(total, item.figures);
    }
  }
  type Group = {
    key: string;
    name?: string;
    responses: number;
    average: number | null;
    dimensions: ReturnType<typeof scoreView>["dimensions"];
  };
  let out: Group[];
  if (query.groupBy === "dimension") {
    const view = scoreView(groups.get("ALL") ?? emptyFigures());
    out = DIMENSIONS.filter((d) => view.dimensions[d]).map((d) => {
      const one = view.dimensions[d] ?? { responses: 0, average: null };
      return { key: d, responses: one.responses, average: one.average, dimensions: { [d]: one } };
    });
  } else {
    if (query.groupBy === "centre")
      for (const id of district.centreIds) if (!groups.has(id)) groups.set(id, emptyFigures());
    out = [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, f]) => ({
        key,
        name: query.groupBy === "centre" ? names.get(key) : undefined,
        ...scoreView(f),
      }));
  }
  const totalView = scoreView(total);
  return {
    districtId,
    from: range.from,
    to: range.to,
    groupBy: query.groupBy,
    groups: out,
    total: { responses: totalView.responses, average: totalView.average },
  };
}
