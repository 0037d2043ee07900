/**
 * Pure rules of the appointment pages: which service types a person may book, the 7-day date strip
 * in China time, times shown in China time, whether a resident may still cancel. Kept free of Taro
 * so component tests import them directly. Runtime lists mirror shared/ (which imports zod at
 * runtime); `satisfies Record<…>` keeps them complete at compile time.
 */
import type { PriorityGroup } from "@shared/enums";
import type { AppointmentStatus, ServiceType, Slot } from "../services/types";
import { todayInChina } from "./id-number";

export { todayInChina };

export const SERVICE_TYPE_LABELS = {
  consultation: "全科门诊",
  annual_assessment: "年度健康评估",
  chronic_followup: "慢病随访",
  home_visit: "上门服务",
  physical_exam: "健康体检",
  child_health: "儿童保健",
  prenatal: "产前检查",
} as const satisfies Record<ServiceType, string>;
export const SERVICE_TYPES = Object.keys(SERVICE_TYPE_LABELS) as ServiceType[];

/** Service types open only to some groups (the server's SERVICE_GROUPS); the rest serve everyone. */
export const SERVICE_GROUPS: Partial<Record<ServiceType, readonly PriorityGroup[]>> = {
  prenatal: ["pregnant"],
  child_health: ["children"],
};

export function eligibleFor(serviceType: ServiceType, groups: readonly PriorityGroup[]): boolean {
  const only = SERVICE_GROUPS[serviceType];
  return !only || only.some((g) => groups.includes(g));
}

/** The service types a person may book, in the fixed order: prenatal only when pregnant, child health 0–6. */
export function eligibleServiceTypes(groups: readonly PriorityGroup[]): ServiceType[] {
  return SERVICE_TYPES.filter((t) => eligibleFor(t, groups));
}

export const APPOINTMENT_STATUS_LABELS = {
  booked: "已预约",
  checked_in: "已签到",
  completed: "已完成",
  cancelled: "已取消",
  no_show: "爽约",
  // Closed at day end with nothing recorded (staff may still correct it for 7 days).
  unrecorded: "未记录",
} as const satisfies Record<AppointmentStatus, string>;

export const APPOINTMENT_STATUS_COLOURS = {
  booked: { background: "#eef4fb", color: "#245a8d" },
  checked_in: { background: "#fff3dc", color: "#8a5a00" },
  completed: { background: "#e8f6ef", color: "#166a56" },
  cancelled: { background: "#eef1f0", color: "#5f6b66" },
  no_show: { background: "#fdecea", color: "#d93026" },
  unrecorded: { background: "#eef1f0", color: "#5f6b66" },
} as const satisfies Record<AppointmentStatus, { background: string; color: string }>;

/** Residents may cancel until this many hours before the start (DEFAULT_SETTINGS.cancelDeadlineHours). */
export const CANCEL_DEADLINE_HOURS = 2;

const DAY_MS = 24 * 3600 * 1000;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const WEEKDAY_NAMES = ["日", "一", "二", "三", "四", "五", "六"] as const;

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** "周一" … "周日" of a calendar date. */
export function weekdayName(date: string): string {
  return `周${WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;
}

export interface StripDay {
  /** YYYY-MM-DD in Asia/Shanghai. */
  date: string;
  /** "今天", "明天", "后天", else the weekday ("周五"). */
  label: string;
  /** "11-23" */
  short: string;
}

/** Today and the six days after it, in China time (the phone's own time zone does not matter). */
export function dateStrip(now: Date = new Date(), days = 7): StripDay[] {
  const today = todayInChina(now);
  return Array.from({ length: days }, (_, i) => {
    const date = addDays(today, i);
    const label = i === 0 ? "今天" : i === 1 ? "明天" : i === 2 ? "后天" : weekdayName(date);
    return { date, label, short: date.slice(5) };
  });
}

/** HH:mm of an instant in China time. */
export function clockOf(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(11, 16);
}

/** "08:00–08:30" */
export function timeRange(slot: Pick<Slot, "startsAt" | "endsAt">): string {
  return `${clockOf(slot.startsAt)}–${clockOf(slot.endsAt)}`;
}

/** "2026-11-24（周二）08:00–08:30" */
export function whenText(item: Pick<Slot, "date" | "startsAt" | "endsAt">): string {
  return `${item.date}（${weekdayName(item.date)}）${timeRange(item)}`;
}

export type SlotState = "open" | "full" | "closed";

export function slotState(slot: Pick<Slot, "remaining" | "closed">): SlotState {
  if (slot.closed) return "closed";
  return slot.remaining > 0 ? "open" : "full";
}

/** Whether the resident may still cancel (until 2 hours before the start; the team may always). */
export function canResidentCancel(startsAt: string, now: Date = new Date()): boolean {
  return now.getTime() <= Date.parse(startsAt) - CANCEL_DEADLINE_HOURS * 3600 * 1000;
}

/** Upcoming: still to be visited (booked or checked in, not yet over). The rest is history. */
export function isUpcoming(
  a: { status: AppointmentStatus; endsAt: string },
  now: Date = new Date(),
): boolean {
  return (a.status === "booked" || a.status === "checked_in") && Date.parse(a.endsAt) > now.getTime();
}

/** "29:05" until the deadline, or null once it has passed. */
export function countdown(expiresAt: string, now: Date = new Date()): string | null {
  const left = Math.floor((Date.parse(expiresAt) - now.getTime()) / 1000);
  if (!(left > 0)) return null;
  const m = Math.floor(left / 60);
  const s = left % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** One key per booking attempt, reused when that attempt is retried (8–64 of [A-Za-z0-9_-]). */
export function newIdempotencyKey(): string {
  return `bk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
