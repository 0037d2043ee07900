import type { HomeVisitStatus } from "../../shared/schemas/care.js";
import type { SlotRecord } from "../domain/appointments.js";
import { tableName } from "../lib/db.js";
import { createItem, get, queryPage } from "./items.js";
import { keys } from "./keys.js";
import { statusTransition, type TransactItem, transact } from "./transactions.js";

/** Home-visit requests (贴心服务我上门): one open or scheduled per resident, held by a lock item. */
const T = () => tableName();

export interface HomeVisitRequestRecord {
  requestId: string;
  residentId: string;
  teamId: string;
  centreId: string;
  reason: string;
  preferredDates: string[];
  status: HomeVisitStatus;
  requestedByUserId: string;
  /** Times it was scheduled: each schedule gets its own slot (a cancelled visit can be rescheduled). */
  schedules: number;
  appointmentId?: string;
  startsAt?: string;
  declineReason?: string;
  createdAt: string;
  updatedAt: string;
}

export const getRequest = (requestId: string) =>
  get<HomeVisitRequestRecord>(keys.homeVisitRequest(requestId));

const requestItem = (r: HomeVisitRequestRecord) => ({
  ...keys.homeVisitRequest(r.requestId),
  ...keys.homeVisitByResident(r.residentId, r.createdAt, r.requestId),
  type: "HomeVisitRequest",
  ...r,
});

/** Creates the request with the resident's lock; false when one is already open. */
export async function createRequest(r: HomeVisitRequestRecord): Promise<boolean> {
  const result = await transact([
    {
      Put: {
        TableName: T(),
        Item: { ...keys.openHomeVisit(r.residentId), type: "OpenHomeVisit", requestId: r.requestId },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    { Put: { TableName: T(), Item: requestItem(r) } },
  ]);
  return result.ok;
}

export const openRequestOf = (residentId: string) =>
  get<{ requestId: string }>(keys.openHomeVisit(residentId));

const releaseLock = (r: Pick<HomeVisitRequestRecord, "residentId" | "requestId">) => ({
  Delete: {
    TableName: T(),
    Key: keys.openHomeVisit(r.residentId),
    ConditionExpression: "requestId = :id",
    ExpressionAttributeValues: { ":id": r.requestId },
  },
});

/** The visit's own slot: capacity 1, off the team's public slot list (no index attributes). */
export const putVisitSlot = (slot: SlotRecord) =>
  createItem({ ...keys.slot(slot.slotId), type: "Slot", ...slot });

/** open → scheduled, naming the appointment; once. */
export async function markScheduled(
  r: HomeVisitRequestRecord,
  appointmentId: string,
  startsAt: string,
  at: string,
) {
  const result = await transact([
    statusTransition(keys.homeVisitRequest(r.requestId), "open", "scheduled", {
      appointmentId,
      startsAt,
      schedules: r.schedules + 1,
      updatedAt: at,
    }),
  ]);
  return result.ok;
}

/** open → declined, releasing the lock so the resident may ask again. */
export async function markDeclined(r: HomeVisitRequestRecord, reason: string, at: string) {
  const result = await transact([
    statusTransition(keys.homeVisitRequest(r.requestId), "open", "declined", {
      declineReason: reason,
      updatedAt: at,
    }),
    releaseLock(r),
  ]);
  return result.ok;
}

/** Erasure: an open or scheduled request is declined (no message: the account is gone). */
export async function closeForErasure(r: HomeVisitRequestRecord, at: string) {
  if (r.status !== "open" && r.status !== "scheduled") return false;
  const result = await transact([
    statusTransition(keys.homeVisitRequest(r.requestId), r.status, "declined", {
      declineReason: "账户已注销",
      updatedAt: at,
    }),
    releaseLock(r),
  ]);
  return result.ok;
}

/** A status transition that also requires the request to name this appointment. */
function forAppointment(item: TransactItem, appointmentId: string): TransactItem {
  const update = item.Update;
  if (!update) return item;
  return {
    Update: {
      ...update,
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ":appt": appointmentId },
    },
  };
}

/** scheduled → completed when its visit is completed (the visit recorded the fulfilment). */
export async function markCompleted(r: HomeVisitRequestRecord, appointmentId: string, at: string) {
  const result = await transact([
    forAppointment(
      statusTransition(
        keys.homeVisitRequest(r.requestId),
        "scheduled",
        "completed",
        { updatedAt: at },
        "appointmentId = :appt",
      ),
      appointmentId,
    ),
    releaseLock(r),
  ]);
  return result.ok;
}

/** scheduled → open again when its visit was cancelled, so the team schedules it anew. */
export async function reopen(r: HomeVisitRequestRecord, appointmentId: string, at: string) {
  const item = statusTransition(
    keys.homeVisitRequest(r.requestId),
    "scheduled",
    "open",
    { updatedAt: at },
    "appointmentId = :appt",
  );
  return (await transact([forAppointment(item, appointmentId)])).ok;
}

export const listResidentRequests = (residentId: string, limit: number, cursor?: string) =>
  queryPage<HomeVisitRequestRecord>({
    index: "gsi1",
    partition: keys.homeVisitsOfResident(residentId).gsi1pk,
    limit,
    cursor,
    newestFirst: true,
    fresh: true,
  });
