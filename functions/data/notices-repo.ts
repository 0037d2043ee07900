import { PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { PriorityGroup } from "../../shared/enums.js";
import type { NoticeRecord, Recipient } from "../domain/notices.js";
import { db, tableName } from "../lib/db.js";
import { type ServiceRecordItem, serviceItems } from "./contracts-repo.js";
import { deliveryItems, type InboxMessage } from "./inbox-repo.js";
import { get, queryAll, queryPage, writeIf } from "./items.js";
import { keys } from "./keys.js";
import type { TransactItem } from "./transactions.js";
import { transact } from "./transactions.js";

/**
 * Notices, their delivery to inboxes and lecture registrations. Each notice's counters (delivered,
 * read, registered, attended, pushed) change in the same transaction as the fact they count, so
 * the stats read is one GetItem and never drifts.
 */
const T = () => tableName();

export const getNotice = (noticeId: string) => get<NoticeRecord>(keys.notice(noticeId));

export async function createNotice(notice: NoticeRecord): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: T(),
      Item: {
        ...keys.notice(notice.noticeId),
        ...keys.noticeByCentre(notice.centreId, notice.publishAt, notice.noticeId),
        ...(notice.status === "scheduled" ? keys.noticeScheduled(notice.publishAt, notice.noticeId) : {}),
        type: "Notice",
        ...notice,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
}

/** Takes a due notice off the schedule; only one publisher run wins it. */
export async function startPublishing(noticeId: string): Promise<boolean> {
  return writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET #status = :publishing REMOVE gsi2pk, gsi2sk",
        ConditionExpression: "#status = :scheduled",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":publishing": "publishing", ":scheduled": "scheduled" },
      }),
    ),
  );
}

/** The audience is on the queue: the notice counts as published (the report counts it as sent). */
export const markPublished = (noticeId: string, audienceSize: number) =>
  writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET #status = :published, publishedAt = :now, audienceSize = :size",
        ConditionExpression: "#status = :publishing",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":published": "published",
          ":publishing": "publishing",
          ":now": new Date().toISOString(),
          ":size": audienceSize,
        },
      }),
    ),
  );

export async function dueNotices(nowIso: string): Promise<NoticeRecord[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: T(),
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk AND gsi2sk <= :now",
      ExpressionAttributeValues: { ":pk": keys.noticeScheduled("", "").gsi2pk, ":now": `${nowIso}~` },
    }),
  );
  const ids = (out.Items ?? []).map((i) => String(i.noticeId));
  return (await Promise.all(ids.map(getNotice))).filter((n): n is NoticeRecord => n !== undefined);
}

export const listCentreNotices = (centreId: string, limit: number, cursor?: string) =>
  queryPage<NoticeRecord>({
    index: "gsi1",
    partition: keys.noticesOfCentre(centreId).gsi1pk,
    limit,
    cursor,
    newestFirst: true,
  });

/**
 * The signed residents of a team, page by page (active and terminating contracts: both are still
 * served), with what targeting needs from the contract's snapshot.
 */
export async function* signedResidentsOfTeam(teamId: string) {
  for (const status of ["active", "terminating"]) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(
        new QueryCommand({
          TableName: T(),
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :status)",
          ExpressionAttributeValues: { ":pk": keys.contractsOfTeam(teamId).gsi1pk, ":status": `${status}#` },
          ProjectionExpression: "residentId, householdId, #resident.birthDate, groupsAtSigning",
          ExpressionAttributeNames: { "#resident": "resident" },
          ExclusiveStartKey: start,
        }),
      );
      yield (out.Items ?? []).map((i) => ({
        residentId: String(i.residentId),
        householdId: String(i.householdId),
        birthDate: String((i.resident as { birthDate?: string } | undefined)?.birthDate ?? "1900-01-01"),
        groupsAtSigning: (i.groupsAtSigning ?? []) as PriorityGroup[],
      }));
      start = out.LastEvaluatedKey;
    } while (start);
  }
}

export interface DeliveryResult {
  delivered: boolean;
}

/**
 * Delivers a notice to one resident's inbox, once: the marker, the message, the notice's delivered
 * counter, the resident's unread counter and the household's "reached this year" mark together.
 */
export async function deliverNotice(
  notice: NoticeRecord,
  recipient: Recipient,
  message: InboxMessage,
  at: Date,
): Promise<boolean> {
  const result = await transact([
    ...deliveryItems(
      recipient.residentId,
      { ...message, centreId: notice.centreId, teamId: notice.teamId },
      `notice#${notice.noticeId}#${recipient.residentId}`,
      at,
    ),
    {
      Update: {
        TableName: T(),
        Key: keys.notice(notice.noticeId),
        UpdateExpression: "SET delivered = delivered + :one",
        ExpressionAttributeValues: { ":one": 1 },
      },
    },
    unreadDelta(recipient.residentId, 1),
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.householdNoticed(at.toISOString().slice(0, 4), recipient.householdId),
          type: "HouseholdNoticed",
          householdId: recipient.householdId,
          lastNoticeId: notice.noticeId,
        },
      },
    },
  ]);
  return result.ok;
}

const unreadDelta = (residentId: string, delta: 1 | -1): TransactItem => ({
  Update: {
    TableName: T(),
    Key: keys.inboxCounter(residentId),
    UpdateExpression: "SET unread = if_not_exists(unread, :zero) + :d, #type = :type",
    ExpressionAttributeNames: { "#type": "type" },
    ExpressionAttributeValues: { ":zero": 0, ":d": delta, ":type": "InboxCounter" },
  },
});

/** Where a notice landed in a resident's inbox (undefined: it was not sent to them). */
export const deliveryOf = (noticeId: string, residentId: string) =>
  get<{ messageId: string; sentAt: string }>(keys.sentOnce(`notice#${noticeId}#${residentId}`));

export const getInboxMessage = (residentId: string, sentAt: string, messageId: string) =>
  get<InboxMessage & { read: boolean; messageId: string; sentAt: string; residentId: string }>(
    keys.inboxMessage(residentId, sentAt, messageId),
  );

/** Marks one resident's copy read; counts the notice's reads once per copy. */
export async function markRead(
  noticeId: string,
  residentId: string,
  delivery: { messageId: string; sentAt: string },
) {
  const result = await transact([
    {
      Update: {
        TableName: T(),
        Key: keys.inboxMessage(residentId, delivery.sentAt, delivery.messageId),
        UpdateExpression: "SET #read = :true, readAt = :now",
        ConditionExpression: "#read = :false",
        ExpressionAttributeNames: { "#read": "read" },
        ExpressionAttributeValues: { ":true": true, ":false": false, ":now": new Date().toISOString() },
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET #read = #read + :one",
        ExpressionAttributeNames: { "#read": "read" },
        ExpressionAttributeValues: { ":one": 1 },
      },
    },
    unreadDelta(residentId, -1),
  ]);
  return result.ok;
}

export const listInbox = (residentId: string, limit: number, cursor?: string) =>
  queryPage<InboxMessage & { read: boolean; messageId: string; sentAt: string; residentId: string }>({
    partition: keys.inboxPrefix(residentId).pk,
    skPrefix: keys.inboxPrefix(residentId).skPrefix,
    limit,
    cursor,
    newestFirst: true,
  });

export const unreadCount = async (residentId: string) =>
  (await get<{ unread: number }>(keys.inboxCounter(residentId)))?.unread ?? 0;

export async function addPushCounts(noticeId: string, pushed: number, refused: number) {
  if (!pushed && !refused) return;
  await db.send(
    new UpdateCommand({
      TableName: T(),
      Key: keys.notice(noticeId),
      UpdateExpression: "SET pushed = pushed + :p, pushRefused = pushRefused + :r",
      ExpressionAttributeValues: { ":p": pushed, ":r": refused },
    }),
  );
}

export type RegisterOutcome = "registered" | "full" | "already" | "not-audience";

/** One registration per resident, never past capacity, only for residents the lecture was sent to. */
export async function register(noticeId: string, residentId: string, at: string): Promise<RegisterOutcome> {
  const result = await transact([
    {
      ConditionCheck: {
        TableName: T(),
        Key: keys.sentOnce(`notice#${noticeId}#${residentId}`),
        ConditionExpression: "attribute_exists(pk)",
      },
    },
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.lectureRegistration(noticeId, residentId),
          type: "LectureRegistration",
          noticeId,
          residentId,
          registeredAt: at,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET lectureRegistered = lectureRegistered + :one",
        ConditionExpression: "lectureRegistered < lectureCapacity",
        ExpressionAttributeValues: { ":one": 1 },
      },
    },
  ]);
  if (result.ok) return "registered";
  if (result.failed.includes(0)) return "not-audience";
  if (result.failed.includes(1)) return "already";
  return "full";
}

export const getRegistration = (noticeId: string, residentId: string) =>
  get<{ noticeId: string; residentId: string; registeredAt: string; attendedAt?: string }>(
    keys.lectureRegistration(noticeId, residentId),
  );

export const listRegistrations = (noticeId: string) => {
  const { pk, skPrefix } = keys.lectureRegistrationsPrefix(noticeId);
  return queryAll<{ residentId: string; registeredAt: string; attendedAt?: string }>(pk, skPrefix);
};

export async function unregister(noticeId: string, residentId: string): Promise<boolean> {
  const result = await transact([
    {
      Delete: {
        TableName: T(),
        Key: keys.lectureRegistration(noticeId, residentId),
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(attendedAt)",
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET lectureRegistered = lectureRegistered - :one",
        ExpressionAttributeValues: { ":one": 1 },
      },
    },
  ]);
  return result.ok;
}

/** Attendance is counted once and, with a running contract, records the health education it was. */
export async function recordAttendance(
  noticeId: string,
  residentId: string,
  at: string,
  service?: ServiceRecordItem,
) {
  const result = await transact([
    {
      Update: {
        TableName: T(),
        Key: keys.lectureRegistration(noticeId, residentId),
        UpdateExpression: "SET attendedAt = :at",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(attendedAt)",
        ExpressionAttributeValues: { ":at": at },
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET attended = attended + :one",
        ExpressionAttributeValues: { ":one": 1 },
      },
    },
    ...(service ? serviceItems(service) : []),
  ]);
  return result.ok;
}

/** Consumes one of the user's one-time grants for a template; false when none is left. */
export async function takeGrant(userId: string, templateId: string): Promise<boolean> {
  return writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.subscriptionGrant(userId, templateId),
        UpdateExpression: "SET remaining = remaining - :one",
        ConditionExpression: "remaining > :zero",
        ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
      }),
    ),
  );
}

/** Records what the user granted (or refused) in wx.requestSubscribeMessage. */
export async function recordGrant(userId: string, templateId: string, outcome: "accept" | "refused") {
  await db.send(
    new UpdateCommand({
      TableName: T(),
      Key: keys.subscriptionGrant(userId, templateId),
      UpdateExpression:
        outcome === "accept"
          ? "SET remaining = if_not_exists(remaining, :zero) + :one, templateId = :t, #type = :type, updatedAt = :now"
          : "SET remaining = :zero, refusedAt = :now, templateId = :t, #type = :type, updatedAt = :now",
      ExpressionAttributeNames: { "#type": "type" },
      ExpressionAttributeValues: {
        ":zero": 0,
        ":t": templateId,
        ":type": "SubscriptionGrant",
        ":now": new Date().toISOString(),
        ...(outcome === "accept" ? { ":one": 1 } : {}),
      },
    }),
  );
}

export const listGrants = (userId: string) => {
  const { pk, skPrefix } = keys.subscriptionGrantsPrefix(userId);
  return queryAll<{ templateId: string; remaining: number }>(pk, skPrefix);
};

/** A WeChat refusal (43101) means the grant we counted is gone: stop trying until asked again. */
export async function clearGrant(userId: string, templateId: string) {
  await recordGrant(userId, templateId, "refused");
}

export const householdsOfTeam = (teamId: string) => {
  const { pk, skPrefix } = keys.householdsOfTeamPrefix(teamId);
  return queryAll<{ householdId: string; members: number }>(pk, skPrefix);
};

export const householdNoticed = (year: string, householdId: string) =>
  get<{ householdId: string }>(keys.householdNoticed(year, householdId));
