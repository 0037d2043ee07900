import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone.js";
import utc from "dayjs/plugin/utc.js";

dayjs.extend(utc);
dayjs.extend(timezone);

/** The product schedules and shows dates in China Standard Time. */
export const ZONE = "Asia/Shanghai";

/** Today's date (YYYY-MM-DD) in Asia/Shanghai. */
export const todayInChina = (now: Date = new Date()) => dayjs(now).tz(ZONE).format("YYYY-MM-DD");

/** The calendar year (YYYY) in Asia/Shanghai: 2026-12-31T16:30Z is already 2027 there. */
export const yearInChina = (now: Date = new Date()) => todayInChina(now).slice(0, 4);

/** Whole years from `birthDate` to `onDate` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [y, m, d] = onDate.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * A contract approved on `start` runs to the day before the same date a year later
 * (2026-11-23 → 2027-11-22; from 29 February, to 28 February).
 */
export function contractEndDate(start: string): string {
  const [y, m, d] = start.split("-").map(Number) as [number, number, number];
  const sameDayNextYear =
    m === 2 && d === 29 ? dayjs.utc(`${y + 1}-03-01`) : dayjs.utc(`${y + 1}-${start.slice(5)}`);
  return sameDayNextYear.subtract(1, "day").format("YYYY-MM-DD");
}

export const isoNow = (now: Date = new Date()) => now.toISOString();

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export const addDays = (date: string, days: number) => dayjs.utc(date).add(days, "day").format("YYYY-MM-DD");

/** The last calendar day of the month `date` falls in. */
export const lastDayOfMonth = (date: string) => dayjs.utc(date).endOf("month").format("YYYY-MM-DD");
