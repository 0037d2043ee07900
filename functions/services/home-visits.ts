import { ulid } from "ulid";
import type { z } from "zod";
import { todayInChina } from "../../shared/dates.js";
import {
  HOME_VISIT_STATUS_NAMES,
  type RequestHomeVisitBody,
  type ScheduleHomeVisitBody,
} from "../../shared/schemas/care.js";
import { DEFAULT_SETTINGS } from "../../shared/settings.js";
import * as appointments from "../data/appointments-repo.js";
import { getContract, getSignedLock } from "../data/contracts-repo.js";
import type { HomeVisitRequestRecord } from "../data/home-visits-repo.js";
import * as repo from "../data/home-visits-repo.js";
import { getResident } from "../data/identity-repo.js";
import { deliverOnce } from "../data/inbox-repo.js";
import { keys } from "../data/keys.js";
import * as worklist from "../data/worklist-repo.js";
import type { AppointmentRecord } from "../domain/appointments.js";
import { groupsOf } from "../domain/residents.js";
import { ApiError, conflict, fieldError, forbidden, notFound } from "../lib/errors.js";
import type { Session } from "../lib/session.js";
import { actsFor, isStaffOf } from "./access.js";
import { signedContractWith } from "./appointments.js";
import { refreshVisit } from "./worklist.js";

/**
 * Home-visit requests (贴心服务我上门): the resident's side asks, the team schedules the visit as a
 * `home_visit` appointment at the resident's address (or declines with a reason), and the completed
 * visit records the fulfilment as every completed appointment does; the request follows its visit
 * through the stream projector (completed, or open again when the visit is cancelled).
 */
export function toRequestView(r: HomeVisitRequestRecord) {
  return {
    requestId: r.requestId,
    residentId: r.residentId,
    teamId: r.teamId,
    status: r.status,
    statusName: HOME_VISIT_STATUS_NAMES[r.status],
    reason: r.reason,
    preferredDates: r.preferredDates,
    appointmentId: r.appointmentId ?? null,
    startsAt: r.startsAt ?? null,
    declineReason: r.declineReason ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

async function runningContractOf(residentId: string) {
  const lock = await getSignedLock(residentId);
  const contract = lock ? await getContract(lock.contractId) : undefined;
  return contract && (contract.status === "active" || contract.status === "terminating")
    ? contract
    : undefined;
}

export async function requestHomeVisit(session: Session, body: z.infer<typeof RequestHomeVisitBody>) {
  if (!(await actsFor(session, body.residentId))) throw forbidden("只能为本人或代办的家庭成员申请");
  const today = todayInChina();
  body.preferredDates.forEach((d, i) => {
    if (d < today) throw fieldError(`preferredDates.${i}`, "期望日期不能早于今天");
  });
  const contract = await runningContractOf(body.residentId);
  if (!contract) throw new ApiError(403, "NOT_SIGNED", "请先签约家庭医生团队");
  const now = new Date().toISOString();
  const request: HomeVisitRequestRecord = {
    requestId: `hv_${ulid()}`,
    residentId: body.residentId,
    teamId: contract.teamId,
    centreId: contract.centreId,
    reason: body.reason,
    preferredDates: [...new Set(body.preferredDates)].sort(),
    status: "open",
    requestedByUserId: session.userId,
    schedules: 0,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await repo.createRequest(request))) {
    // A retry after a lost answer finds its own request holding the lock: that is this request.
    const open = await repo.openRequestOf(body.residentId);
    if (open?.requestId !== request.requestId)
      throw conflict("ALREADY_REQUESTED", "已有一个待处理的上门服务申请");
  }
  return toRequestView(request);
}

async function staffRequest(session: Session, requestId: string) {
  const request = await repo.getRequest(requestId);
  if (!request) throw notFound("上门服务申请不存在");
  if (!isStaffOf(session, request.teamId)) throw forbidden("只有签约团队成员可以处理");
  return request;
}

const chinaDate = (iso: string) => todayInChina(new Date(iso));
const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(11, 16);

export async function scheduleHomeVisit(
  session: Session,
  requestId: string,
  body: z.infer<typeof ScheduleHomeVisitBody>,
) {
  const request = await staffRequest(session, requestId);
  if (request.status === "scheduled" && request.appointmentId) return toRequestView(request);
  if (request.status !== "open") throw conflict("INVALID_STATE", "该申请已处理");
  const start = Date.parse(body.startsAt);
  if (start <= Date.now()) throw fieldError("startsAt", "上门时间须晚于现在");
  const resident = await getResident(request.residentId);
  const contract = await signedContractWith(request.residentId, request.teamId);
  if (!resident || resident.erasedAt || !contract)
    throw new ApiError(403, "NOT_SIGNED", "居民已不在本团队签约");
  const startsAt = new Date(start).toISOString();
  const endsAt = new Date(start + body.durationMinutes * 60_000).toISOString();
  const date = chinaDate(startsAt);
  // One slot and one appointment per scheduling of the request: a retried request finds its own.
  const n = request.schedules + 1;
  const slotId = `sl_${requestId}_${n}`;
  const appointmentId = `a_${requestId}_${n}`;
  await repo.putVisitSlot({
    slotId,
    teamId: request.teamId,
    centreId: request.centreId,
    serviceType: "home_visit",
    date,
    startsAt,
    endsAt,
    capacity: 1,
    booked: 0,
    closed: false,
    scheduleId: `hv_${requestId}`,
  });
  const slot = await appointments.getSlot(slotId);
  if (!slot) throw new Error("home-visit slot missing after its write");
  const now = new Date().toISOString();
  const appointment: AppointmentRecord = {
    appointmentId,
    slotId,
    residentId: request.residentId,
    residentName: resident.name,
    teamId: request.teamId,
    centreId: request.centreId,
    serviceType: "home_visit",
    date: slot.date,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    status: "booked",
    note: request.reason,
    bookedByUserId: session.userId,
    bookedBy: "team",
    place: resident.address,
    homeVisitRequestId: requestId,
    createdAt: now,
    updatedAt: now,
  };
  const outcome = await appointments.book(appointment, { maxOpen: DEFAULT_SETTINGS.maxOpenBookings });
  if (!outcome.ok) {
    const existing = await appointments.getAppointment(appointmentId);
    if (!existing) {
      if (outcome.reason === "limit")
        throw conflict("BOOKING_LIMIT", "居民当天已有预约或未完成的预约已达上限，请另选日期");
      throw conflict("INVALID_STATE", "该申请正在安排，请刷新");
    }
  }
  await repo.markScheduled(request, appointmentId, slot.startsAt, now);
  await deliverOnce(
    request.residentId,
    {
      kind: "appointment_reminder",
      title: "上门服务已安排",
      body: `家庭医生团队将于 ${slot.date} ${chinaTime(slot.startsAt)} 上门服务（${resident.address}），请届时在家等候。`,
    },
    `home-visit-scheduled#${requestId}#${n}`,
    new Date(),
  );
  const after = await repo.getRequest(requestId);
  return toRequestView(after ?? request);
}

export async function declineHomeVisit(session: Session, requestId: string, reason: string) {
  const request = await staffRequest(session, requestId);
  if (request.status === "declined") return toRequestView(request);
  if (request.status !== "open") throw conflict("INVALID_STATE", "只能拒绝待安排的申请");
  const now = new Date().toISOString();
  if (!(await repo.markDeclined(request, reason, now))) {
    // Declined by this very call when its answer was lost and the SDK retried; else it moved on.
    const after = await repo.getRequest(requestId);
    if (after?.status !== "declined") throw conflict("INVALID_STATE", "申请状态已变化，请刷新");
  }
  await deliverOnce(
    request.residentId,
    {
      kind: "appointment_reminder",
      title: "上门服务申请未能安排",
      body: `您的上门服务申请未能安排：${reason}`,
    },
    `home-visit-declined#${requestId}`,
    new Date(),
  );
  return toRequestView({ ...request, status: "declined", declineReason: reason, updatedAt: now });
}

export async function listHomeVisitRequests(
  session: Session,
  residentId: string,
  limit: number,
  cursor?: string,
) {
  const residentSide = await actsFor(session, residentId);
  if (!residentSide) {
    const contract = await runningContractOf(residentId);
    if (!contract || !isStaffOf(session, contract.teamId)) throw notFound("居民不存在");
  }
  const page = await repo.listResidentRequests(residentId, limit, cursor);
  return { items: page.items.map(toRequestView), nextCursor: page.nextCursor };
}

/** The stream's visit changes: a completed visit completes its request, a cancelled one reopens it. */
export async function followVisit(appointmentId: string) {
  const appointment = await appointments.getAppointment(appointmentId);
  if (!appointment) return;
  await refreshVisit(appointment);
  const requestId = appointment.homeVisitRequestId;
  if (!requestId) return;
  const request = await repo.getRequest(requestId);
  if (!request || request.appointmentId !== appointmentId) return;
  const at = new Date().toISOString();
  if (appointment.status === "completed" && request.status === "scheduled")
    await repo.markCompleted(request, appointmentId, at);
  else if (appointment.status === "cancelled" && request.status === "scheduled")
    await repo.reopen(request, appointmentId, at);
}

/** The stream's request changes: open requests are on the team's list, others not. */
export async function followRequest(requestId: string) {
  const request = await repo.getRequest(requestId);
  if (!request) return;
  const key = keys.workItem(request.teamId, "home_visit_requested", request.residentId, requestId);
  const existing = (await worklist.currentItems([key])).get(worklist.idOf(key));
  if (request.status !== "open") {
    if (existing) await worklist.removeItem(request.teamId, "home_visit_requested", key);
    return;
  }
  const resident = await getResident(request.residentId);
  await worklist.ensureItem(
    {
      kind: "home_visit_requested",
      teamId: request.teamId,
      residentId: request.residentId,
      name: resident?.name ?? "居民",
      groups:
        resident && !resident.erasedAt
          ? groupsOf(resident.birthDate, resident.declaredGroups, todayInChina())
          : [],
      dueBy: request.preferredDates[0] ?? todayInChina(),
      reason: request.reason,
      requestId,
      updatedAt: request.updatedAt,
    },
    existing,
  );
}
