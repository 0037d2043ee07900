import { DeleteCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type AppointmentRecord, OPEN_VISIT, type SlotRecord } from "../domain/appointments.js";
import { decodeCursor, encodeCursor } from "../lib/cursor.js";
import { db, tableName } from "../lib/db.js";
import { type ServiceRecordItem, serviceItems, voidServiceItems } from "./contracts-repo.js";
import { createItem, fromTable, get, getMany, queryAll, queryPage, strip, writeIf } from "./items.js";
import { keys } from "./keys.js";
import type { TransactItem } from "./transactions.js";
import { statusTransition, transact } from "./transactions.js";

/**
 * Slots and appointments. Capacity, one booking per resident per slot and per day, and the cap on
 * open bookings are each a condition in the booking transaction, so no interleaving of requests
 * can overbook; cancelling undoes exactly what booking did, once, guarded by the status.
 */
const T = () => tableName();

export const hourOf = (iso: string) => new Date(iso).toISOString().slice(0, 13);

export const getSlot = (slotId: string) => get<SlotRecord>(keys.slot(slotId));
export const getAppointment = (appointmentId: string) =>
  get<AppointmentRecord>(keys.appointment(appointmentId));

/** Creates a slot unless one with the same id exists (overlapping schedules keep the first). */
export const putSlotIfAbsent = (slot: SlotRecord): Promise<boolean> =>
  createItem({
    ...keys.slot(slot.slotId),
    ...keys.slotByTeam(slot.teamId, slot.startsAt, slot.slotId),
    type: "Slot",
    ...slot,
  });

export async function listSlots(options: {
  teamId: string;
  fromIso: string;
  toIso: string;
  serviceType?: string;
  limit: number;
  cursor?: string;
}) {
  const partition = keys.slotsOfTeam(options.teamId).gsi1pk;
  const out = await db.send(
    new QueryCommand({
      TableName: T(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to",
      FilterExpression: options.serviceType ? "serviceType = :t" : undefined,
      ExpressionAttributeValues: {
        ":pk": partition,
        ":from": options.fromIso,
        ":to": `${options.toIso}~`,
        ...(options.serviceType ? { ":t": options.serviceType } : {}),
      },
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, { gsi1pk: partition }),
    }),
  );
  // Read again from the table: a slot just closed or booked shows as it is (see items.ts fromTable).
  const fresh = await fromTable(out.Items ?? [], (item) => item.gsi1pk === partition);
  return {
    items: fresh.map((i) => strip<SlotRecord>(i) as SlotRecord),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
}

const appointmentItem = (a: AppointmentRecord) => ({
  ...keys.appointment(a.appointmentId),
  ...keys.appointmentByResident(a.residentId, a.startsAt, a.appointmentId),
  ...keys.appointmentByTeamDay(a.teamId, a.date, a.startsAt, a.appointmentId),
  type: "Appointment",
  ...a,
});

export type BookOutcome =
  | { ok: true }
  | { ok: false; reason: "idempotent-replay" | "duplicate" | "limit" | "full" };

/** Items that hold a booking's place; the index of each tells which rule stopped a booking. */
function placeItems(a: AppointmentRecord, maxOpen: number): TransactItem[] {
  return [
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.slotBooking(a.slotId, a.residentId),
          type: "SlotBooking",
          appointmentId: a.appointmentId,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.residentDay(a.residentId, a.date),
          type: "ResidentDay",
          appointmentId: a.appointmentId,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.openBookings(a.residentId),
        UpdateExpression: "SET #open = if_not_exists(#open, :zero) + :one, #type = :type",
        ConditionExpression: "attribute_not_exists(#open) OR #open < :max",
        ExpressionAttributeNames: { "#open": "open", "#type": "type" },
        ExpressionAttributeValues: { ":zero": 0, ":one": 1, ":max": maxOpen, ":type": "OpenBookings" },
      },
    },
  ];
}

/**
 * Books a place. `holdsPlace` is set when the place was already taken for this resident by a
 * waitlist offer, so the slot counter is not touched again.
 */
export async function book(
  a: AppointmentRecord,
  options: {
    maxOpen: number;
    idempotency?: { userId: string; key: string; requestHash: string };
    offerId?: string;
  },
): Promise<BookOutcome> {
  const items: TransactItem[] = [];
  if (options.idempotency) {
    items.push({
      Put: {
        TableName: T(),
        Item: {
          ...keys.idempotency(options.idempotency.userId, options.idempotency.key),
          type: "Idempotency",
          appointmentId: a.appointmentId,
          requestHash: options.idempotency.requestHash,
          // Kept a day: long enough for any client retry.
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }
  const first = items.length;
  items.push(...placeItems(a, options.maxOpen));
  items.push(
    options.offerId
      ? {
          Update: {
            TableName: T(),
            Key: keys.offer(options.offerId),
            UpdateExpression: "SET #status = :accepted",
            ConditionExpression: "#status = :open AND expiresAtIso > :now",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":accepted": "accepted",
              ":open": "open",
              ":now": new Date().toISOString(),
            },
          },
        }
      : takeSlotPlace(a.slotId),
  );
  items.push({ Put: { TableName: T(), Item: appointmentItem(a) } });
  items.push({
    Put: {
      TableName: T(),
      Item: { ...openVisitKey(a), type: "OpenVisit", appointmentId: a.appointmentId, teamId: a.teamId },
    },
  });
  items.push(
    ...REMINDER_LABELS.map((label) => ({ Put: { TableName: T(), Item: reminderDueItem(label, a) } })),
  );
  const result = await transact(items);
  if (result.ok) return { ok: true };
  const failed = new Set(result.failed);
  if (options.idempotency && failed.has(0)) return { ok: false, reason: "idempotent-replay" };
  if (failed.has(first)) return { ok: false, reason: "duplicate" };
  if (failed.has(first + 1) || failed.has(first + 2)) return { ok: false, reason: "limit" };
  return { ok: false, reason: "full" };
}

/** Takes one place of a slot that is open and not full ("capacity" is a DynamoDB reserved word). */
export const takeSlotPlace = (slotId: string): TransactItem => ({
  Update: {
    TableName: T(),
    Key: keys.slot(slotId),
    UpdateExpression: "SET booked = booked + :one",
    ConditionExpression: "booked < #capacity AND closed = :false",
    ExpressionAttributeNames: { "#capacity": "capacity" },
    ExpressionAttributeValues: { ":one": 1, ":false": false },
  },
});

export const getIdempotency = (userId: string, key: string) =>
  get<{ appointmentId: string; requestHash: string }>(keys.idempotency(userId, key));

/** Undoes a booking's holds: the slot place, the per-slot and per-day markers, the open count. */
function releaseItems(a: AppointmentRecord, releaseSlot: boolean): TransactItem[] {
  return [
    ...(releaseSlot
      ? [
          {
            Update: {
              TableName: T(),
              Key: keys.slot(a.slotId),
              UpdateExpression: "SET booked = booked - :one",
              ConditionExpression: "booked > :zero",
              ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
            },
          },
        ]
      : []),
    { Delete: { TableName: T(), Key: keys.slotBooking(a.slotId, a.residentId) } },
    { Delete: { TableName: T(), Key: keys.residentDay(a.residentId, a.date) } },
    ...closeOpenItems(a),
  ];
}

const openVisitKey = (a: AppointmentRecord) => keys.openVisit(a.date, a.teamId, a.appointmentId);

/** A visit reaching a final outcome stops counting as open and leaves the day's closing list. */
const closeOpenItems = (a: AppointmentRecord): TransactItem[] => [
  closeOpenItem(a),
  { Delete: { TableName: T(), Key: openVisitKey(a) } },
];

const closeOpenItem = (a: AppointmentRecord): TransactItem => ({
  Update: {
    TableName: T(),
    Key: keys.openBookings(a.residentId),
    UpdateExpression: "SET #open = #open - :one",
    ConditionExpression: "#open > :zero",
    ExpressionAttributeNames: { "#open": "open" },
    ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
  },
});

const statusItem = (a: AppointmentRecord, from: string, to: string, set: Record<string, unknown> = {}) =>
  statusTransition(keys.appointment(a.appointmentId), from, to, {
    ...set,
    updatedAt: new Date().toISOString(),
  });

/** Cancels a booked appointment; the status condition makes the place come back exactly once. */
export async function cancel(
  a: AppointmentRecord,
  cancellation: NonNullable<AppointmentRecord["cancellation"]>,
) {
  return (await transact([statusItem(a, "booked", "cancelled", { cancellation }), ...releaseItems(a, true)]))
    .ok;
}

/**
 * Records a visit outcome, or corrects one. Completion also records the service on the resident's
 * contract in the same transaction, so a visit is counted once or not at all; correcting a
 * completion voids that service the same way.
 */
export async function changeStatus(
  a: AppointmentRecord,
  from: AppointmentRecord["status"],
  to: "checked_in" | "completed" | "no_show",
  service?: ServiceRecordItem,
) {
  const at = new Date().toISOString();
  const recorded = service
    ? {
        service: {
          contractId: service.contractId,
          serviceId: service.serviceId,
          serviceType: service.serviceType,
          deliveredAt: service.deliveredAt,
        },
      }
    : {};
  const items: TransactItem[] = [statusItem(a, from, to, recorded)];
  if (OPEN_VISIT.includes(from) && to !== "checked_in") items.push(...closeOpenItems(a));
  if (from === "completed" && a.service) items.push(...voidServiceItems(a.service, at));
  if (service) items.push(...serviceItems(service));
  return (await transact(items)).ok;
}

/** The day ended with no outcome: `unrecorded`, releasing the open booking (not a no-show). */
export async function closeUnrecorded(a: AppointmentRecord) {
  if (!OPEN_VISIT.includes(a.status)) return false;
  return (await transact([statusItem(a, a.status, "unrecorded"), ...closeOpenItems(a)])).ok;
}

/** One page of a day's visits still open (optionally one team's). */
export const openVisitsPage = (date: string, teamId: string | undefined, limit: number, cursor?: string) => {
  const { pk, skPrefix } = keys.openVisitsPrefix(date, teamId);
  return queryPage<{ appointmentId: string; teamId: string }>({ partition: pk, skPrefix, limit, cursor });
};

/** Drops a day's open-visit entry whose visit is already final (written before a crash, say). */
export const dropOpenVisit = (date: string, teamId: string, appointmentId: string) =>
  db.send(new DeleteCommand({ TableName: T(), Key: keys.openVisit(date, teamId, appointmentId) }));

export async function closeSlot(slotId: string, reason: string): Promise<boolean> {
  return writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.slot(slotId),
        UpdateExpression: "SET closed = :true, closeReason = :r",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":true": true, ":r": reason },
      }),
    ),
  );
}

/** The slot's booking markers: one per booked resident, each naming its appointment. */
export const listSlotBookings = (slotId: string) => {
  const { pk, skPrefix } = keys.slotBookingsPrefix(slotId);
  return queryAll<{ appointmentId: string }>(pk, skPrefix);
};

export const listTeamDay = (teamId: string, date: string, limit: number, cursor?: string) =>
  queryPage<AppointmentRecord>({
    index: "gsi2",
    partition: keys.appointmentsOfTeamDay(teamId, date).gsi2pk,
    limit,
    cursor,
    fresh: true,
  });

export const listResidentAppointments = (residentId: string, limit: number, cursor?: string) =>
  queryPage<AppointmentRecord>({
    index: "gsi1",
    partition: keys.appointmentsOfResident(residentId).gsi1pk,
    limit,
    cursor,
    newestFirst: true,
    fresh: true,
  });

/** The reminders each booked visit gets, by lead time; each is sent once (see services/reminders.ts). */
export const REMINDER_LABELS = ["24h", "2h"] as const;
export type ReminderLabel = (typeof REMINDER_LABELS)[number];

/** A reminder still to send, kept a day past the visit at most (TTL) if no run picked it up. */
const reminderDueItem = (label: ReminderLabel, a: Pick<AppointmentRecord, "appointmentId" | "startsAt">) => ({
  ...keys.reminderDue(label, hourOf(a.startsAt), a.appointmentId),
  type: "ReminderDue",
  appointmentId: a.appointmentId,
  expiresAt: Math.floor(Date.parse(a.startsAt) / 1000) + 86_400,
});

/** One page of the reminders of a label still to send for visits starting in an hour. */
export const remindersDuePage = (label: ReminderLabel, hour: string, limit: number, cursor?: string) => {
  const { pk, skPrefix } = keys.remindersDuePrefix(label, hour);
  return queryPage<{ appointmentId: string }>({ partition: pk, skPrefix, limit, cursor });
};

/**
 * Sends a reminder once and takes it off the due list, in one transaction: the once-only marker,
 * the inbox message and the removal. False when the marker says it was sent already.
 */
export async function sendReminder(
  label: ReminderLabel,
  hour: string,
  appointmentId: string,
  delivery: TransactItem[],
): Promise<boolean> {
  const result = await transact([
    ...delivery,
    { Delete: { TableName: T(), Key: keys.reminderDue(label, hour, appointmentId) } },
  ]);
  return result.ok;
}

/** A reminder that no longer applies (sent already, visit cancelled or begun) leaves the due list. */
export async function dropReminder(label: ReminderLabel, hour: string, appointmentId: string) {
  await db.send(new DeleteCommand({ TableName: T(), Key: keys.reminderDue(label, hour, appointmentId) }));
}

/**
 * Visits booked before reminders had a due list are indexed only by their start hour: those of an
 * hour move onto the due lists (each entry once: its move is conditioned on it still being there).
 * Bookings no longer write the hour index, so these partitions empty for good.
 */
export async function moveLegacyHour(hour: string): Promise<number> {
  const { pk, skPrefix } = keys.appointmentsOfHour(hour);
  let moved = 0;
  let cursor: string | undefined;
  do {
    const page = await queryPage<{ appointmentId: string }>({ partition: pk, skPrefix, limit: 100, cursor });
    const found = await appointmentsByIds(page.items.map((i) => i.appointmentId));
    const byId = new Map(found.map((a) => [a.appointmentId, a]));
    for (const { appointmentId } of page.items) {
      const a = byId.get(appointmentId);
      const startsAt = a?.startsAt ?? `${hour}:00:00.000Z`;
      const result = await transact([
        {
          Delete: {
            TableName: T(),
            Key: keys.appointmentHour(hour, appointmentId),
            ConditionExpression: "attribute_exists(pk)",
          },
        },
        ...(a?.status === "booked"
          ? REMINDER_LABELS.map((label) => ({
              Put: { TableName: T(), Item: reminderDueItem(label, { appointmentId, startsAt }) },
            }))
          : []),
      ]);
      if (result.ok) moved++;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return moved;
}

/**
 * The resident's appointments still holding their day (every booking not cancelled), read from the
 * resident's own partition: consistent, so a visit booked a moment ago is there.
 */
export async function heldAppointments(residentId: string): Promise<AppointmentRecord[]> {
  const { pk, skPrefix } = keys.residentDaysPrefix(residentId);
  const days = await queryAll<{ appointmentId: string }>(pk, skPrefix);
  return appointmentsByIds(days.map((d) => d.appointmentId));
}

/** Appointments by id (missing ids are left out). */
export const appointmentsByIds = (ids: readonly string[]): Promise<AppointmentRecord[]> =>
  getMany<AppointmentRecord>([...new Set(ids)].map((id) => keys.appointment(id)));

/**
 * After erasure the visit history keeps no name. `known` are the visits erasure found in the
 * resident's own partition: the index can still miss one booked a moment ago.
 */
export async function anonymiseResidentAppointments(
  residentId: string,
  known: readonly string[] = [],
): Promise<void> {
  let cursor: string | undefined;
  let first = true;
  do {
    const page = await listResidentAppointments(residentId, 100, cursor);
    const ids = new Set(page.items.map((a) => a.appointmentId));
    if (first) for (const id of known) ids.add(id);
    first = false;
    await Promise.all(
      [...ids].map((appointmentId) =>
        db.send(
          new UpdateCommand({
            TableName: T(),
            Key: keys.appointment(appointmentId),
            UpdateExpression: "SET residentName = :n REMOVE note",
            ExpressionAttributeValues: { ":n": "已注销居民" },
          }),
        ),
      ),
    );
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
