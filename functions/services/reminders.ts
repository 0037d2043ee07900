import { SERVICE_TYPE_NAMES } from "../../shared/schemas/appointments.js";
import {
  appointmentsByIds,
  dropReminder,
  hourOf,
  moveLegacyHour,
  type ReminderLabel,
  remindersDuePage,
  sendReminder,
} from "../data/appointments-repo.js";
import { deliveryItems } from "../data/inbox-repo.js";
import type { AppointmentRecord } from "../domain/appointments.js";
import { TEMPLATES } from "../domain/notices.js";
import { mapLimit } from "../lib/concurrency.js";
import { continueChain, type PageRef, planPages } from "./paged-jobs.js";
import { pushToFamily } from "./push.js";

const appointmentReminderPush = (a: AppointmentRecord, title: string) => ({
  templateId: TEMPLATES.appointment,
  page: "pages/my-appointments/index",
  data: {
    thing1: { value: SERVICE_TYPE_NAMES[a.serviceType] },
    time2: { value: chinaClock(a.startsAt) },
    thing3: { value: title },
  },
});

const HOUR = 3_600_000;
/** Due reminders read per page, and sent at once within a page. */
export const REMINDER_PAGE_SIZE = 100;
const CONCURRENCY = 10;

/** Each reminder covers the visits that start within its lead time but after the next one's. */
const REMINDERS: Record<ReminderLabel, { leadHours: number; afterHours: number; title: string }> = {
  "24h": { leadHours: 24, afterHours: 2, title: "明天的预约提醒" },
  "2h": { leadHours: 2, afterHours: 0, title: "预约即将开始" },
};

const chinaClock = (iso: string) =>
  new Date(iso).toLocaleString("zh-CN", {
    timeZone: "Asia/Shanghai",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });

/** A page of one reminder's due list for the visits of one start hour, as of the planning run's `at`. */
export type ReminderPage = PageRef & { kind: "reminder"; label: ReminderLabel; hour: string; at: string };

const windowOf = (label: ReminderLabel, at: string) => {
  const now = Date.parse(at);
  return { from: now + REMINDERS[label].afterHours * HOUR, to: now + REMINDERS[label].leadHours * HOUR };
};

/**
 * Every 15 minutes: one page message per reminder and start hour in its window (about 26). Each
 * booking puts its two reminders on due lists by start hour and a sent reminder leaves its list,
 * so a run reads only reminders not yet sent, however many visits are booked.
 */
export async function planReminders(now: Date, runId: string) {
  const at = now.toISOString();
  const pages: ReminderPage[] = [];
  for (const label of Object.keys(REMINDERS) as ReminderLabel[]) {
    const { from, to } = windowOf(label, at);
    for (let t = Math.floor(from / HOUR) * HOUR; t <= to; t += HOUR) {
      const hour = hourOf(new Date(t).toISOString());
      pages.push({ kind: "reminder", chain: `${runId}:${label}:${hour}`, page: 0, label, hour, at });
    }
  }
  await planPages(pages);
  return { planned: pages.length };
}

/**
 * One page of a due list: the next page is queued, then each reminder is sent (in-app, once per
 * appointment and label, and pushed where the family holds a grant) or dropped when it no longer
 * applies; reminders not yet in their window stay for a later run.
 */
export async function remindersPage(message: ReminderPage) {
  const { label, hour } = message;
  if (message.page === 0) await moveLegacyHour(hour);
  const page = await remindersDuePage(label, hour, REMINDER_PAGE_SIZE, message.cursor);
  if (page.nextCursor) await continueChain(message, page.nextCursor);
  const ids = page.items.map((i) => i.appointmentId);
  const byId = new Map((await appointmentsByIds(ids)).map((a) => [a.appointmentId, a]));
  const { from, to } = windowOf(label, message.at);
  const outcomes = await mapLimit(ids, CONCURRENCY, async (appointmentId) => {
    const a = byId.get(appointmentId);
    const start = a ? Date.parse(a.startsAt) : 0;
    if (a?.status !== "booked" || start <= from) {
      await dropReminder(label, hour, appointmentId);
      return "dropped" as const;
    }
    if (start > to) return "later" as const;
    const title = REMINDERS[label].title;
    const delivery = deliveryItems(
      a.residentId,
      {
        kind: "appointment_reminder",
        title,
        body: `${a.residentName}，您预约的${SERVICE_TYPE_NAMES[a.serviceType]}将于 ${chinaClock(a.startsAt)} 开始，请携带医保卡按时到达。如需取消，请至少提前 2 小时。`,
      },
      `appointment-reminder#${a.appointmentId}#${label}`,
      new Date(message.at),
    );
    if (!(await sendReminder(label, hour, appointmentId, delivery))) {
      await dropReminder(label, hour, appointmentId);
      return "dropped" as const;
    }
    return (await pushToFamily(a.residentId, appointmentReminderPush(a, title))) === "sent"
      ? ("pushed" as const)
      : ("reminded" as const);
  });
  const result = { due: ids.length, reminded: 0, pushed: 0, dropped: 0, later: 0 };
  for (const outcome of outcomes) {
    if (outcome === "pushed") result.pushed++;
    if (outcome === "pushed" || outcome === "reminded") result.reminded++;
    if (outcome === "dropped") result.dropped++;
    if (outcome === "later") result.later++;
  }
  return result;
}
