import { createHash } from "node:crypto";
import { ulid } from "ulid";
import type { z } from "zod";
import { addDays, lastDayOfMonth, todayInChina } from "../../shared/dates.js";
import type { BookBody, CreateScheduleBody, SlotsQuery } from "../../shared/schemas/appointments.js";
import { SERVICE_TYPE_NAMES } from "../../shared/schemas/appointments.js";
import { DEFAULT_SETTINGS } from "../../shared/settings.js";
import * as repo from "../data/appointments-repo.js";
import { getTeam } from "../data/centres-repo.js";
import { getContract, type ServiceRecordItem } from "../data/contracts-repo.js";
import { getResident } from "../data/identity-repo.js";
import { deliverOnce } from "../data/inbox-repo.js";
import { get } from "../data/items.js";
import { keys } from "../data/keys.js";
import { mergeNewestFirst } from "../data/merge.js";
import {
  type AppointmentRecord,
  canResidentCancel,
  eligibleFor,
  MAX_SCHEDULE_DAYS,
  MAX_SLOTS_PER_SCHEDULE,
  type SlotRecord,
  slotsOf,
  statusChangeAllowed,
  toAppointmentView,
  toSlotView,
} from "../domain/appointments.js";
import { groupsOf } from "../domain/residents.js";
import { ApiError, conflict, fieldError, forbidden, notFound } from "../lib/errors.js";
import { idempotencyKeyOf } from "../lib/idempotency.js";
import type { Session } from "../lib/session.js";
import { actsFor, isManagerOf, isStaffOf } from "./access.js";
import { settingsOf } from "./settings.js";
import { offerFreedPlace } from "./waitlist.js";

const chinaMidnight = (date: string) => new Date(`${date}T00:00:00+08:00`);

async function staffTeam(session: Session, teamId: string) {
  const team = await getTeam(teamId);
  if (!team) throw notFound("团队不存在");
  if (!isStaffOf(session, teamId)) throw forbidden("只有本团队成员可以操作");
  return team;
}

/** Deterministic, so a schedule published twice (or overlapping another) creates no second slot. */
const slotIdOf = (teamId: string, serviceType: string, startsAt: string) =>
  `sl_${createHash("sha256").update(`${teamId}|${serviceType}|${startsAt}`).digest("base64url").slice(0, 22)}`;

export async function createSchedule(
  session: Session,
  teamId: string,
  body: z.infer<typeof CreateScheduleBody>,
) {
  const team = await staffTeam(session, teamId);
  const today = todayInChina();
  if (body.startDate < today) throw fieldError("startDate", "开始日期不能早于今天");
  if (addDays(body.startDate, MAX_SCHEDULE_DAYS) < body.endDate) {
    throw fieldError("endDate", `一次最多发布 ${MAX_SCHEDULE_DAYS} 天的排班`);
  }
  const cut = slotsOf(body);
  if (cut.length > MAX_SLOTS_PER_SCHEDULE)
    throw fieldError("slotMinutes", `一次最多生成 ${MAX_SLOTS_PER_SCHEDULE} 个号源`);
  const scheduleId = `sc_${ulid()}`;
  let created = 0;
  // Conditional puts, a few at a time: overlapping slots are skipped, never duplicated.
  for (let i = 0; i < cut.length; i += 16) {
    const results = await Promise.all(
      cut.slice(i, i + 16).map(({ date, startsAt, endsAt }) =>
        repo.putSlotIfAbsent({
          slotId: slotIdOf(teamId, body.serviceType, startsAt.toISOString()),
          teamId,
          centreId: team.centreId,
          serviceType: body.serviceType,
          date,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          capacity: body.capacityPerSlot,
          booked: 0,
          closed: false,
          scheduleId,
        }),
      ),
    );
    created += results.filter(Boolean).length;
  }
  return {
    scheduleId,
    slotsCreated: created,
    slotsSkipped: cut.length - created,
    firstSlotAt: cut[0]?.startsAt.toISOString() ?? null,
    lastSlotAt: cut.at(-1)?.startsAt.toISOString() ?? null,
  };
}

export async function listSlots(teamId: string, query: z.infer<typeof SlotsQuery>) {
  const today = todayInChina();
  const from = query.from && query.from > today ? query.from : today;
  const to = query.to ?? lastDayOfMonth(today);
  if (to < from) throw fieldError("to", "结束日期不能早于开始日期");
  if (addDays(from, 62) < to) throw fieldError("to", "一次最多查询 62 天");
  const page = await repo.listSlots({
    teamId,
    // Past slots of today are skipped by the key condition itself, so pages are never empty.
    fromIso: new Date(Math.max(chinaMidnight(from).getTime(), Date.now())).toISOString(),
    toIso: chinaMidnight(addDays(to, 1)).toISOString(),
    serviceType: query.serviceType,
    limit: query.limit,
    cursor: query.cursor,
  });
  const now = Date.now();
  return {
    items: page.items.filter((s) => Date.parse(s.startsAt) > now).map(toSlotView),
    nextCursor: page.nextCursor,
  };
}

const requestHash = (body: unknown) => createHash("sha256").update(JSON.stringify(body)).digest("base64url");

export async function signedContractWith(residentId: string, teamId: string) {
  const lock = await get<{ contractId: string }>(keys.signedLock(residentId));
  const contract = lock ? await getContract(lock.contractId) : undefined;
  const running = contract && (contract.status === "active" || contract.status === "terminating");
  return running && contract.teamId === teamId ? contract : undefined;
}

export async function book(
  session: Session,
  body: z.infer<typeof BookBody>,
  idempotencyKey?: string,
  offerId?: string,
) {
  idempotencyKeyOf(idempotencyKey);
  // Team staff may book for a resident signed with their team (代预约), with the same rules.
  const onBehalf =
    !(await actsFor(session, body.residentId)) && (await staffMayBookFor(session, body.residentId));
  if (onBehalf === null) throw forbidden("只能为本人或代办的家庭成员预约");
  const hash = requestHash(body);
  if (idempotencyKey) {
    const replay = await replayOf(session.userId, idempotencyKey, hash);
    if (replay) return replay;
  }
  const slot = await repo.getSlot(body.slotId);
  if (!slot) throw notFound("号源不存在");
  if (onBehalf && slot.teamId !== session.teamId) throw forbidden("只能预约本团队的号源");
  const resident = await getResident(body.residentId);
  if (!resident || resident.erasedAt) throw forbidden("只能为本人或代办的家庭成员预约");
  if (!(await signedContractWith(resident.residentId, slot.teamId))) {
    throw new ApiError(403, "NOT_SIGNED", "请先与该团队签约（签约生效后才能预约）");
  }
  const groups = groupsOf(resident.birthDate, resident.declaredGroups, todayInChina());
  if (!eligibleFor(slot.serviceType, groups)) {
    throw new ApiError(403, "NOT_ELIGIBLE", `“${SERVICE_TYPE_NAMES[slot.serviceType]}”仅面向特定人群`);
  }
  if (slot.closed) throw conflict("SLOT_CLOSED", `该时段已停诊：${slot.closeReason ?? ""}`);
  if (Date.parse(slot.startsAt) <= Date.now()) throw conflict("SLOT_PAST", "该时段已开始，无法预约");
  const settings = await settingsOf(slot.centreId);
  const now = new Date().toISOString();
  const appointment: AppointmentRecord = {
    appointmentId: `a_${ulid()}`,
    slotId: slot.slotId,
    residentId: resident.residentId,
    residentName: resident.name,
    teamId: slot.teamId,
    centreId: slot.centreId,
    serviceType: slot.serviceType,
    date: slot.date,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    status: "booked",
    note: body.note,
    bookedByUserId: session.userId,
    bookedBy: onBehalf ? "team" : "resident",
    cancelDeadlineHours: settings.cancelDeadlineHours,
    createdAt: now,
    updatedAt: now,
  };
  const outcome = await repo.book(appointment, {
    maxOpen: settings.maxOpenBookings,
    idempotency: idempotencyKey
      ? { userId: session.userId, key: idempotencyKey, requestHash: hash }
      : undefined,
    offerId,
  });
  if (outcome.ok) {
    if (onBehalf) await notifyBookedOnBehalf(appointment);
    return toAppointmentView(appointment);
  }
  switch (outcome.reason) {
    case "idempotent-replay": {
      const replay = idempotencyKey ? await replayOf(session.userId, idempotencyKey, hash) : undefined;
      if (replay) return replay;
      throw conflict("REQUEST_IN_PROGRESS", "相同的预约请求正在处理，请稍后刷新");
    }
    case "duplicate":
      throw conflict("DUPLICATE_BOOKING", "已预约该时段");
    case "limit":
      throw conflict(
        "BOOKING_LIMIT",
        `每人每天最多预约 ${DEFAULT_SETTINGS.maxBookingsPerDay} 次，未完成的预约最多 ${settings.maxOpenBookings} 个`,
      );
    case "full":
      throw offerId
        ? conflict("OFFER_EXPIRED", "候补名额已过期")
        : conflict("SLOT_FULL", "该时段已约满，可加入候补");
  }
}

/**
 * Whether the caller, not on the resident's side, books as team staff: false for the resident's
 * side, true for staff of the team the resident is signed with, null for anyone else (another
 * team's staff included: 403).
 */
async function staffMayBookFor(session: Session, residentId: string): Promise<boolean | null> {
  if (!session.teamId || !isStaffOf(session, session.teamId)) return null;
  return (await signedContractWith(residentId, session.teamId)) ? true : null;
}

/** The resident's inbox (which their representatives read too) says the team booked for them. */
export const notifyBookedOnBehalf = (a: AppointmentRecord) =>
  deliverOnce(
    a.residentId,
    {
      kind: "appointment_reminder",
      title: "家庭医生团队已为您预约",
      body: `团队已为您预约 ${a.date} ${chinaTimeOf(a.startsAt)} 的${SERVICE_TYPE_NAMES[a.serviceType]}${a.place ? `（地点：${a.place}）` : ""}。如需取消请在“我的预约”中操作。`,
    },
    `booked-on-behalf#${a.appointmentId}`,
    new Date(),
  );

const chinaTimeOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(11, 16);

/** The first answer to a request with this key, or a 409 when the key was used for another request. */
async function replayOf(userId: string, key: string, hash: string) {
  const record = await repo.getIdempotency(userId, key);
  if (!record) return undefined;
  if (record.requestHash !== hash) {
    throw conflict("IDEMPOTENCY_KEY_REUSED", "该 Idempotency-Key 已用于另一个请求");
  }
  const appointment = await repo.getAppointment(record.appointmentId);
  return appointment ? toAppointmentView(appointment) : undefined;
}

async function visibleAppointment(session: Session, appointmentId: string) {
  const appointment = await repo.getAppointment(appointmentId);
  if (!appointment) throw notFound("预约不存在");
  const residentSide = await actsFor(session, appointment.residentId);
  const team = isStaffOf(session, appointment.teamId);
  if (!residentSide && !team) throw notFound("预约不存在");
  return { appointment, residentSide, team };
}

export async function cancelAppointment(session: Session, appointmentId: string, reason: string) {
  const { appointment, residentSide, team } = await visibleAppointment(session, appointmentId);
  if (appointment.status !== "booked") throw conflict("INVALID_STATE", "只能取消尚未签到的预约");
  const by = team && !residentSide ? "team" : "resident";
  // The deadline the booking was made under; bookings from before settings existed keep the default.
  const deadlineHours = appointment.cancelDeadlineHours ?? DEFAULT_SETTINGS.cancelDeadlineHours;
  if (by === "resident" && !canResidentCancel(appointment.startsAt, new Date(), deadlineHours)) {
    throw conflict("TOO_LATE_TO_CANCEL", `预约开始前 ${deadlineHours} 小时内不能自行取消，请联系团队`);
  }
  const cancellation = { by, reason, at: new Date().toISOString(), byUserId: session.userId } as const;
  if (!(await repo.cancel(appointment, cancellation)))
    throw conflict("INVALID_STATE", "预约状态已变化，请刷新");
  if (by === "team") await notifyCancelled(appointment, reason);
  await offerFreedPlace(appointment.slotId, new Date());
  return toAppointmentView({ ...appointment, status: "cancelled", cancellation });
}

const notifyCancelled = (a: AppointmentRecord, reason: string) =>
  deliverOnce(
    a.residentId,
    {
      kind: "appointment_reminder",
      title: "预约已被取消",
      body: `您 ${a.date} 的${SERVICE_TYPE_NAMES[a.serviceType]}预约已由团队取消：${reason}。请重新预约其他时段。`,
    },
    `appointment-cancelled#${a.appointmentId}`,
    new Date(),
  );

export async function updateStatus(
  session: Session,
  appointmentId: string,
  to: "checked_in" | "completed" | "no_show",
) {
  const { appointment, team } = await visibleAppointment(session, appointmentId);
  if (!team) throw forbidden("只有本团队成员可以登记到诊情况");
  const verdict = statusChangeAllowed(appointment, to, new Date(), DEFAULT_SETTINGS.outcomeCorrectionDays);
  if (!verdict.ok) throw conflict("INVALID_STATE", verdict.message);
  let service: ServiceRecordItem | undefined;
  if (to === "completed") {
    const contract = await signedContractWith(appointment.residentId, appointment.teamId);
    const teamRecord = await getTeam(appointment.teamId);
    if (contract) {
      service = {
        serviceId: `appt_${appointment.appointmentId}`,
        contractId: contract.contractId,
        serviceType: appointment.serviceType,
        deliveredAt: new Date().toISOString(),
        place: teamRecord?.name ? `${teamRecord.name}（预约就诊）` : "社区卫生服务中心",
        notes: appointment.note ?? null,
        outcome: null,
        staffUserId: session.userId,
        staffName: teamRecord?.members.find((m) => m.userId === session.userId)?.name ?? "团队成员",
        source: "appointment",
      };
    }
  }
  if (!(await repo.changeStatus(appointment, verdict.from, to, service))) {
    throw conflict("INVALID_STATE", "预约状态已变化，请刷新");
  }
  return toAppointmentView({ ...appointment, status: to });
}

export async function closeSlot(session: Session, slotId: string, reason: string) {
  const slot = await repo.getSlot(slotId);
  if (!slot) throw notFound("号源不存在");
  await staffTeam(session, slot.teamId);
  await repo.closeSlot(slotId, reason);
  let cancelled = 0;
  for (const { appointmentId } of await repo.listSlotBookings(slotId)) {
    const appointment = await repo.getAppointment(appointmentId);
    if (appointment?.status !== "booked") continue;
    const cancellation = {
      by: "team",
      reason,
      at: new Date().toISOString(),
      byUserId: session.userId,
    } as const;
    if (await repo.cancel(appointment, cancellation)) {
      cancelled++;
      await notifyCancelled(appointment, reason);
    }
  }
  const after = (await repo.getSlot(slotId)) as SlotRecord;
  return { ...toSlotView(after), cancelledAppointments: cancelled };
}

/** Closes every slot a team has on a day (the doctor is away): each booking cancelled and notified. */
export async function closeDay(session: Session, teamId: string, date: string, reason: string) {
  await staffTeam(session, teamId);
  if (date < todayInChina()) throw fieldError("date", "不能停诊已过去的日期");
  let slots = 0;
  let cancelledAppointments = 0;
  let cursor: string | undefined;
  do {
    const page = await repo.listSlots({
      teamId,
      fromIso: chinaMidnight(date).toISOString(),
      toIso: chinaMidnight(addDays(date, 1)).toISOString(),
      limit: 100,
      cursor,
    });
    for (const slot of page.items) {
      if (slot.closed) continue;
      const closed = await closeSlot(session, slot.slotId, reason);
      slots++;
      cancelledAppointments += closed.cancelledAppointments;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { teamId, date, slotsClosed: slots, cancelledAppointments };
}

export async function listTeamAppointments(
  session: Session,
  teamId: string,
  date: string | undefined,
  limit: number,
  cursor?: string,
) {
  const team = await getTeam(teamId);
  if (!team || (!isStaffOf(session, teamId) && !isManagerOf(session, team.centreId))) {
    throw forbidden("只有本团队成员或中心管理员可以查看");
  }
  const page = await repo.listTeamDay(teamId, date ?? todayInChina(), limit, cursor);
  return { items: page.items.map(toAppointmentView), nextCursor: page.nextCursor };
}

/** Own and family appointments, newest first, across the residents the user acts for. */
export async function listMyAppointments(residentIds: string[], limit: number, cursor?: string) {
  const page = await mergeNewestFirst({
    partitions: residentIds,
    limit,
    cursor,
    fetch: repo.listResidentAppointments,
    sortKey: (a: AppointmentRecord) => `${a.startsAt}#${a.appointmentId}`,
    resumeKey: (a, residentId) => ({
      ...keys.appointment(a.appointmentId),
      ...keys.appointmentByResident(residentId, a.startsAt, a.appointmentId),
    }),
  });
  return { items: page.items.map(toAppointmentView), nextCursor: page.nextCursor };
}
