import { SERVICE_TYPE_NAMES } from "../../shared/schemas/appointments.js";
import { appointmentsStartingIn, hourOf } from "../data/appointments-repo.js";
import { deliverOnce } from "../data/inbox-repo.js";
import type { AppointmentRecord } from "../domain/appointments.js";
import { TEMPLATES } from "../domain/notices.js";
import { pushToFamily } from "./push.js";
import { expireOffers } from "./waitlist.js";

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

/** Each reminder covers the visits that start within its lead time but after the next one's. */
const REMINDERS = [
  { label: "24h", leadHours: 24, afterHours: 2, title: "明天的预约提醒" },
  { label: "2h", leadHours: 2, afterHours: 0, title: "预约即将开始" },
] as const;

const chinaClock = (iso: string) =>
  new Date(iso).toLocaleString("zh-CN", {
    timeZone: "Asia/Shanghai",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });

/**
 * Every 15 minutes: in-app reminders 24 h and 2 h before each booked visit, each sent once per
 * appointment whatever the number of runs, and lapsed waitlist offers passed on.
 */
export async function runAppointmentReminders(now: Date) {
  const result = { reminded: 0, pushed: 0, offersExpired: 0 };
  for (const reminder of REMINDERS) {
    const from = now.getTime() + reminder.afterHours * HOUR;
    const to = now.getTime() + reminder.leadHours * HOUR;
    for (let t = Math.floor(from / HOUR) * HOUR; t <= to; t += HOUR) {
      for (const a of await appointmentsStartingIn(hourOf(new Date(t).toISOString()))) {
        const start = Date.parse(a.startsAt);
        if (a.status !== "booked" || start <= from || start > to) continue;
        const sent = await deliverOnce(
          a.residentId,
          {
            kind: "appointment_reminder",
            title: reminder.title,
            body: `${a.residentName}，您预约的${SERVICE_TYPE_NAMES[a.serviceType]}将于 ${chinaClock(a.startsAt)} 开始，请携带医保卡按时到达。如需取消，请至少提前 2 小时。`,
          },
          `appointment-reminder#${a.appointmentId}#${reminder.label}`,
          now,
        );
        if (sent) {
          result.reminded++;
          if ((await pushToFamily(a.residentId, appointmentReminderPush(a, reminder.title))) === "sent")
            result.pushed++;
        }
      }
    }
  }
  result.offersExpired = await expireOffers(now);
  return result;
}
