import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
import { addDays, todayInChina, yearInChina } from "../../shared/dates.js";
import type { PriorityGroup } from "../../shared/enums.js";
import type { WorklistKind } from "../../shared/schemas/care.js";
import type { EntitlementType } from "../../shared/schemas/contracts.js";
import { WORKLIST_SETTINGS } from "../../shared/settings.js";
import type { ContractRecord } from "./contracts.js";

dayjs.extend(utc);

/**
 * The team's work-list (issue 16), as pure rules. A resident's items are derived from what is
 * stored about them (their running or pending contract, groups, whether their household was
 * reached this year, whether they read a renewal reminder) and "today"; the projector and the daily
 * job apply the result, so an item appears and disappears as its cause changes and never by
 * scanning residents.
 */

/** The kinds derived from a resident's contract (the others hang off a visit or a request). */
export const CONTRACT_KINDS = [
  "review_overdue",
  "followup_behind",
  "assessment_due",
  "home_visit_due",
  "renewal_at_risk",
  "not_reached",
] as const satisfies readonly WorklistKind[];
export type ContractKind = (typeof CONTRACT_KINDS)[number];

export interface DesiredItem {
  kind: WorklistKind;
  dueBy: string;
  reason: string;
  contractId?: string;
  /** When what the item asks for was last done (filled by the service: domain rules do not read). */
  lastDoneAt?: string;
}

/** `date` plus whole months, clamped to the month's end (31 January + 1 month = 28 February). */
export const addMonths = (date: string, months: number) =>
  dayjs.utc(date).add(months, "month").format("YYYY-MM-DD");

/** Whole months of the contract year gone by on `today` (0 … 12). */
export function monthsElapsed(startDate: string, today: string): number {
  let months = 0;
  while (months < 12 && addMonths(startDate, months + 1) <= today) months++;
  return months;
}

/**
 * The pro-rata rule: of `perYear` follow-ups, floor(perYear × months / 12) are expected once
 * `months` whole months of the contract year have passed (4 a year: 1 by month 3, 2 by month 6).
 */
export const expectedByNow = (perYear: number, startDate: string, today: string) =>
  Math.floor((perYear * monthsElapsed(startDate, today)) / 12);

/** The day the k-th follow-up of the year becomes expected (k ≥ 1), or null past the year. */
export function stepDate(perYear: number, startDate: string, k: number): string | null {
  if (perYear <= 0 || k > perYear) return null;
  return addMonths(startDate, Math.ceil((12 * k) / perYear));
}

/** Behind when fewer are done than expected; due since the day the first missing one became expected. */
export function followupStatus(perYear: number, delivered: number, startDate: string, today: string) {
  const expected = expectedByNow(perYear, startDate, today);
  return {
    expected,
    behind: delivered < expected,
    dueBy: stepDate(perYear, startDate, delivered + 1) ?? today,
  };
}

export const entitled = (contract: Pick<ContractRecord, "packages">, type: string) =>
  contract.packages.reduce(
    (n, p) => n + p.items.filter((i) => i.type === type).reduce((m, i) => m + i.timesPerYear, 0),
    0,
  );

/** Follow-ups a year owed to a chronic patient: the packages', else the plan's minimum. */
export function followupsPerYear(
  contract: Pick<ContractRecord, "packages">,
  groups: readonly PriorityGroup[],
) {
  if (!groups.includes("chronic")) return 0;
  return Math.max(entitled(contract, "chronic_followup"), WORKLIST_SETTINGS.chronicFollowupsPerYear);
}

export interface ResidentFacts {
  contract?: Pick<
    ContractRecord,
    "contractId" | "status" | "appliedAt" | "startDate" | "endDate" | "delivered" | "packages" | "teamId"
  >;
  groups: PriorityGroup[];
  /** The household got a notice this (China) year. */
  householdReached: boolean;
  /** The resident or their representative read a renewal reminder of this contract. */
  reminderRead: boolean;
}

const RUNNING = new Set(["active", "terminating"]);

/**
 * The service whose last delivery an item shows as `lastDoneAt`: the last chronic follow-up, home
 * visit or annual assessment (this contract year's, else the year before's).
 */
export const LAST_DONE_SERVICE: Partial<Record<WorklistKind, EntitlementType>> = {
  followup_behind: "chronic_followup",
  home_visit_due: "home_visit",
  assessment_due: "annual_assessment",
};

/**
 * The care rosters a resident belongs to with their team (the monthly report's shares): `chronic`
 * when their running contract owes chronic follow-ups (the same rule as followup_behind, so the
 * items of that kind are always a part of the roster), `assessed` when this contract year's
 * annual assessment is done.
 */
export function rostersOf(facts: Pick<ResidentFacts, "contract" | "groups">): ("chronic" | "assessed")[] {
  const c = facts.contract;
  if (!c || !RUNNING.has(c.status) || !c.startDate || !c.endDate) return [];
  const out: ("chronic" | "assessed")[] = [];
  if (followupsPerYear(c, facts.groups) > 0) out.push("chronic");
  if ((c.delivered.annual_assessment ?? 0) >= 1) out.push("assessed");
  return out;
}

/** What a resident's contract puts on the team's list today. */
export function contractItems(facts: ResidentFacts, now: Date, reviewDeadlineHours: number): DesiredItem[] {
  const c = facts.contract;
  if (!c) return [];
  const today = todayInChina(now);
  const items: DesiredItem[] = [];
  if (c.status === "pending") {
    const deadline = Date.parse(c.appliedAt) + reviewDeadlineHours * 3_600_000;
    if (now.getTime() > deadline)
      items.push({
        kind: "review_overdue",
        dueBy: todayInChina(new Date(deadline)),
        reason: `签约申请超过 ${reviewDeadlineHours} 小时未审核`,
        contractId: c.contractId,
      });
    return items;
  }
  if (!RUNNING.has(c.status) || !c.startDate || !c.endDate) return items;
  const base = { contractId: c.contractId };
  const perYear = followupsPerYear(c, facts.groups);
  if (perYear > 0) {
    const done = c.delivered.chronic_followup ?? 0;
    const f = followupStatus(perYear, done, c.startDate, today);
    if (f.behind)
      items.push({
        ...base,
        kind: "followup_behind",
        dueBy: f.dueBy,
        reason: `慢病随访 ${done}/${perYear}，按进度应完成 ${f.expected} 次`,
      });
  }
  if (
    (c.delivered.annual_assessment ?? 0) < 1 &&
    addDays(c.endDate, -WORKLIST_SETTINGS.assessmentDueDays) <= today
  )
    items.push({ ...base, kind: "assessment_due", dueBy: c.endDate, reason: "本签约年度的健康评估尚未完成" });
  if (facts.groups.includes("elderly80") && (c.delivered.home_visit ?? 0) < 1)
    items.push({
      ...base,
      kind: "home_visit_due",
      dueBy: c.endDate,
      reason: "80 岁以上老人，本签约年度尚未上门服务",
    });
  if (addDays(c.endDate, -WORKLIST_SETTINGS.renewalAtRiskDays) <= today && today <= c.endDate) {
    if (c.status === "terminating")
      items.push({
        ...base,
        kind: "renewal_at_risk",
        dueBy: c.endDate,
        reason: "签约即将到期，居民已申请解约",
      });
    else if (!facts.reminderRead)
      items.push({
        ...base,
        kind: "renewal_at_risk",
        dueBy: c.endDate,
        reason: "签约即将到期，续约提醒均未阅读",
      });
  }
  if (!facts.householdReached)
    items.push({
      ...base,
      kind: "not_reached",
      dueBy: `${yearInChina(now)}-12-31`,
      reason: "本年度尚未收到任何健康通知",
    });
  return items;
}

/**
 * The days ahead on which a contract's items can change with time alone: each follow-up step, the
 * assessment and renewal windows, the turn of the year (not_reached starts again), the review
 * deadline. The daily job re-evaluates the resident on each; nothing else needs a clock.
 */
export function checkDates(facts: ResidentFacts, now: Date, reviewDeadlineHours: number): string[] {
  const c = facts.contract;
  if (!c) return [];
  const today = todayInChina(now);
  const dates = new Set<string>();
  // The daily run after the deadline has passed (it runs at 00:10, so the day after the deadline's).
  if (c.status === "pending")
    dates.add(addDays(todayInChina(new Date(Date.parse(c.appliedAt) + reviewDeadlineHours * 3_600_000)), 1));
  if (RUNNING.has(c.status) && c.startDate && c.endDate) {
    const perYear = followupsPerYear(c, facts.groups);
    for (let k = 1; k <= perYear; k++) {
      const d = stepDate(perYear, c.startDate, k);
      if (d) dates.add(d);
    }
    dates.add(addDays(c.endDate, -WORKLIST_SETTINGS.assessmentDueDays));
    dates.add(addDays(c.endDate, -WORKLIST_SETTINGS.renewalAtRiskDays));
    dates.add(addDays(c.endDate, 1));
    for (let y = Number(c.startDate.slice(0, 4)) + 1; `${y}-01-01` <= c.endDate; y++) dates.add(`${y}-01-01`);
  }
  return [...dates].filter((d) => d > today).sort();
}
