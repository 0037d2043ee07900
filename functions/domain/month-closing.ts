import type { ReportRow } from "../../shared/schemas/reports.js";
import { NET, type TeamMonthFigures } from "./reports.js";

/**
 * When a centre's month is closed, how its month-end figures follow from the facts, and what a
 * revision of a closed month records. Pure: services/month-closing.ts does the reads and writes.
 *
 * Months are those of Asia/Shanghai (the centres' time zone): a fact belongs to the month its event
 * happened in, never to the month it was processed in.
 */
const HOUR = 3_600_000;

/** The instant a month (YYYY-MM) ends in Asia/Shanghai: 00:00 on the 1st of the next, as UTC. */
export function monthEnd(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1) - 8 * HOUR).toISOString();
}

export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
}

/**
 * How long after month end a month may close: the daily run at 00:10 on the 1st still closes the
 * last day's visits left unrecorded (counted in the visit's month), so a day's margin covers that
 * run and its stream records.
 */
export const CLOSE_AFTER_MS = 24 * HOUR;

/**
 * A month can close once that margin has passed and the stream projector has handled a record
 * written after it: every fact of the month is then counted (the position is the newest record
 * handled; a shard that lags further is what the projector's iterator-age alarm is for).
 */
export function closable(month: string, now: Date, position: string | undefined): boolean {
  const after = new Date(Date.parse(monthEnd(month)) + CLOSE_AFTER_MS).toISOString();
  return now.toISOString() >= after && position !== undefined && new Date(position).toISOString() >= after;
}

/**
 * How many months back the daily run closes (after an outage, or at the first closing), and an
 * open month's end is computed from facts before the snapshots of old are read instead.
 */
export const CATCH_UP_MONTHS = 3;

/** The month-end figures a team's month carries forward: signed, running and entitlements. */
export type MonthEnd = Record<string, number>;

export const MONTH_END_FIELDS = ["signedHouseholds", "signedPersons", "activePersons", "priorityPersons"];

/** The month before's end plus this month's net movement (counters `net_<field>`). */
export function monthEndOf(base: MonthEnd, counters: Record<string, number>): MonthEnd {
  const out: MonthEnd = { ...base };
  for (const [k, v] of Object.entries(counters))
    if (k.startsWith(NET)) out[k.slice(NET.length)] = (out[k.slice(NET.length)] ?? 0) + v;
  return out;
}

/** A team's month-end figures as the report's TeamMonthFigures fields. */
export function monthEndFigures(end: MonthEnd) {
  const entitled: TeamMonthFigures["entitled"] = {};
  for (const [k, v] of Object.entries(end))
    if (k.startsWith("ent_") && v > 0) entitled[k.slice(4) as keyof typeof entitled] = v;
  return {
    signedHouseholds: end.signedHouseholds ?? 0,
    signedPersons: end.signedPersons ?? 0,
    activePersons: end.activePersons ?? 0,
    priorityPersons: end.priorityPersons ?? 0,
    entitled,
  };
}

/** What a TeamMonthFigures carries forward as the next month's base. */
export function monthEndFromFigures(f: TeamMonthFigures): MonthEnd {
  const out: MonthEnd = {};
  for (const field of MONTH_END_FIELDS) out[field] = f[field as keyof TeamMonthFigures] as number;
  for (const [type, n] of Object.entries(f.entitled)) out[`ent_${type}`] = n ?? 0;
  return out;
}

type Figure = number | string | boolean | null;

export interface RowChange {
  /** The row: a team's id or "total". */
  key: string;
  field: string;
  from: Figure;
  to: Figure;
}

/** The figures that differ between two versions of a month's rows (services per type flattened). */
export function rowChanges(before: readonly ReportRow[], after: readonly ReportRow[]): RowChange[] {
  const flat = (row: ReportRow | undefined) => {
    const out = new Map<string, Figure>();
    if (!row) return out;
    for (const [k, v] of Object.entries(row)) {
      if (k === "key" || k === "name") continue;
      if (k === "services")
        for (const [type, s] of Object.entries(v as ReportRow["services"]))
          for (const [f, n] of Object.entries(s ?? {})) out.set(`services.${type}.${f}`, n as Figure);
      else out.set(k, v as Figure);
    }
    return out;
  };
  const changes: RowChange[] = [];
  const keys = [...new Set([...before.map((r) => r.key), ...after.map((r) => r.key)])];
  for (const key of keys) {
    const a = flat(before.find((r) => r.key === key));
    const b = flat(after.find((r) => r.key === key));
    for (const field of new Set([...a.keys(), ...b.keys()])) {
      const from = a.get(field) ?? null;
      const to = b.get(field) ?? null;
      if (from !== to) changes.push({ key, field, from, to });
    }
  }
  return changes;
}
