import { addDays } from "../../shared/dates.js";
import type { PriorityGroup, ServiceType } from "../../shared/enums.js";
import {
  APPOINTMENT_STATUS_NAMES,
  type Appointment,
  type AppointmentStatus,
  type CreateScheduleBody,
  SERVICE_TYPE_NAMES,
  type Slot,
} from "../../shared/schemas/appointments.js";

/** Service types only some residents may book (local practice: a setting with these defaults). */
export const SERVICE_GROUPS: Partial<Record<ServiceType, PriorityGroup[]>> = {
  prenatal: ["pregnant"],
  child_health: ["children"],
};

/** Waiting residents in these groups are offered a freed place first. */
export const WAITLIST_PRIORITY: readonly PriorityGroup[] = ["elderly80", "chronic", "pregnant"];

export const MAX_SCHEDULE_DAYS = 92;
export const MAX_SLOTS_PER_SCHEDULE = 2000;

export interface SlotRecord {
  slotId: string;
  teamId: string;
  centreId: string;
  serviceType: ServiceType;
  date: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  /** Booked places plus places held for waitlist offers. */
  booked: number;
  closed: boolean;
  closeReason?: string;
  scheduleId: string;
}

export interface AppointmentRecord {
  appointmentId: string;
  slotId: string;
  residentId: string;
  residentName: string;
  teamId: string;
  centreId: string;
  serviceType: ServiceType;
  date: string;
  startsAt: string;
  endsAt: string;
  status: AppointmentStatus;
  note?: string;
  bookedByUserId: string;
  /** "team" when staff booked on the resident's behalf (absent on older items: the resident's side). */
  bookedBy?: "resident" | "team";
  /** A home visit's place (the resident's address) and the request it fulfils. */
  place?: string;
  homeVisitRequestId?: string;
  /** The centre's cancel deadline when it was booked: a later settings change applies to new bookings only. */
  cancelDeadlineHours?: number;
  cancellation?: { by: "resident" | "team"; reason: string; at: string; byUserId: string };
  /** The service record a completion wrote, so a correction can void it. */
  service?: { contractId: string; serviceId: string; serviceType: string; deliveredAt: string };
  createdAt: string;
  updatedAt: string;
}

/** China has had no daylight saving since 1991: Asia/Shanghai is always UTC+8. */
const chinaTime = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+08:00`);

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
export const isoWeekday = (date: string) => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
};

/** Cuts a recurring schedule into slots that fit whole inside each day's window. */
export function slotsOf(schedule: CreateScheduleBody): { date: string; startsAt: Date; endsAt: Date }[] {
  const slots: { date: string; startsAt: Date; endsAt: Date }[] = [];
  for (let date = schedule.startDate; date <= schedule.endDate; date = addDays(date, 1)) {
    if (!schedule.weekdays.includes(isoWeekday(date))) continue;
    const close = chinaTime(date, schedule.endTime).getTime();
    for (
      let start = chinaTime(date, schedule.startTime).getTime();
      start + schedule.slotMinutes * 60_000 <= close;
    ) {
      const end = start + schedule.slotMinutes * 60_000;
      slots.push({ date, startsAt: new Date(start), endsAt: new Date(end) });
      start = end;
    }
  }
  return slots;
}

export const eligibleFor = (serviceType: ServiceType, groups: readonly PriorityGroup[]) => {
  const only = SERVICE_GROUPS[serviceType];
  return !only || only.some((g) => groups.includes(g));
};

export const hasWaitlistPriority = (groups: readonly PriorityGroup[]) =>
  WAITLIST_PRIORITY.some((g) => groups.includes(g));

/** Residents may cancel until `hours` before the start; the team may cancel any time. */
export const canResidentCancel = (startsAt: string, now: Date, hours: number) =>
  now.getTime() <= Date.parse(startsAt) - hours * 3_600_000;

/** End of the slot's calendar day in China: staff may record the visit until then. */
const endOfChinaDay = (date: string) => chinaTime(addDays(date, 1), "00:00").getTime();

/** Visits without a final outcome: they hold an open booking until recorded or closed. */
export const OPEN_VISIT: readonly AppointmentStatus[] = ["booked", "checked_in"];

/**
 * Who may record what, when. On the day: check in and complete from 60 minutes before the start,
 * no-show after the start. After the day, within the correction window, staff may correct an
 * outcome: an unrecorded visit becomes completed or a no-show, a no-show completed, a completion
 * a no-show (its service record is voided). Nothing else moves.
 */
export function statusChangeAllowed(
  appointment: Pick<AppointmentRecord, "status" | "startsAt" | "date">,
  to: "checked_in" | "completed" | "no_show",
  now: Date,
  correctionDays: number,
): { ok: true; from: AppointmentStatus } | { ok: false; message: string } {
  const start = Date.parse(appointment.startsAt);
  const t = now.getTime();
  const from = appointment.status;
  const dayEnd = endOfChinaDay(appointment.date);
  const correctable = t >= start && t < dayEnd + correctionDays * 86_400_000;
  if (
    from === "unrecorded" ||
    (from === "no_show" && to === "completed") ||
    (from === "completed" && to === "no_show")
  ) {
    if (to === "checked_in") return { ok: false, message: "该预约无法签到" };
    return correctable
      ? { ok: true, from }
      : { ok: false, message: `只能在就诊日后 ${correctionDays} 天内更正到诊情况` };
  }
  if (to === "no_show") {
    if (from !== "booked") return { ok: false, message: "只有未签到的预约可以标记爽约" };
    return t >= start ? { ok: true, from } : { ok: false, message: "预约开始后才能标记爽约" };
  }
  if (t < start - 60 * 60_000 || t >= dayEnd) {
    return { ok: false, message: "只能在预约开始前 60 分钟至当天结束之间签到或完成" };
  }
  if (to === "checked_in")
    return from === "booked" ? { ok: true, from } : { ok: false, message: "该预约无法签到" };
  return OPEN_VISIT.includes(from) ? { ok: true, from } : { ok: false, message: "该预约无法标记完成" };
}

/** A visit's day is over (China time): the closing job may mark it unrecorded. */
export const visitDayOver = (date: string, now: Date) => now.getTime() >= endOfChinaDay(date);

export function toSlotView(slot: SlotRecord): Slot {
  return {
    slotId: slot.slotId,
    teamId: slot.teamId,
    serviceType: slot.serviceType,
    serviceName: SERVICE_TYPE_NAMES[slot.serviceType],
    date: slot.date,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    capacity: slot.capacity,
    remaining: slot.closed ? 0 : Math.max(0, slot.capacity - slot.booked),
    closed: slot.closed,
    groups: SERVICE_GROUPS[slot.serviceType] ?? [],
  };
}

export function toAppointmentView(a: AppointmentRecord): Appointment {
  return {
    appointmentId: a.appointmentId,
    slotId: a.slotId,
    residentId: a.residentId,
    residentName: a.residentName,
    teamId: a.teamId,
    serviceType: a.serviceType,
    serviceName: SERVICE_TYPE_NAMES[a.serviceType],
    date: a.date,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    status: a.status,
    statusName: APPOINTMENT_STATUS_NAMES[a.status],
    note: a.note ?? null,
    cancellation: a.cancellation
      ? { by: a.cancellation.by, reason: a.cancellation.reason, at: a.cancellation.at }
      : null,
    createdAt: a.createdAt,
    bookedBy: a.bookedBy ?? "resident",
    place: a.place ?? null,
    homeVisitRequestId: a.homeVisitRequestId ?? null,
  };
}
