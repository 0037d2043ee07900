import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { yearInChina } from "../../shared/dates.js";
import type { PriorityGroup } from "../../shared/enums.js";
import type { NoticeRecord, Recipient } from "../domain/notices.js";
import { decodeCursor, encodeCursor } from "../lib/cursor.js";
import { db, tableName } from "../lib/db.js";
import { type ServiceRecordItem, serviceItems } from "./contracts-repo.js";
import { deliveryItems, type InboxMessage } from "./inbox-repo.js";
import { createItem, get, getMany, putIfAbsent, queryAll, queryPage, strip, writeIf } from "./items.js";
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

/**
 * A notice while its fan-out runs: `chains` teams to page through (set once, when planned),
 * `chainsDone` of them finished, `audienceCounted` recipients on the pages done so far.
 */
export type PublishingNotice = NoticeRecord & {
  chains?: number;
  chainsDone?: number;
  audienceCounted?: number;
  progressAt?: string;
  resumes?: number;
};

/** The notice as last written (the fan-out decides on it, so no eventually consistent read). */
export async function getNoticeNow(noticeId: string): Promise<PublishingNotice | undefined> {
  const out = await db.send(
    new GetCommand({ TableName: T(), Key: keys.notice(noticeId), ConsistentRead: true }),
  );
  return strip<PublishingNotice>(out.Item);
}

export async function createNotice(notice: NoticeRecord): Promise<void> {
  const created = await createItem({
    ...keys.notice(notice.noticeId),
    // A survey's fan-out is not a notice on the centre's list.
    ...(notice.surveyId ? {} : keys.noticeByCentre(notice.centreId, notice.publishAt, notice.noticeId)),
    ...(notice.status === "scheduled" ? keys.noticeScheduled(notice.publishAt, notice.noticeId) : {}),
    ...(notice.status === "publishing" ? keys.noticePublishing(notice.createdAt, notice.noticeId) : {}),
    type: "Notice",
    ...notice,
    ...(notice.status === "publishing" ? { progressAt: notice.createdAt } : {}),
  });
  if (!created) throw new Error(`notice id ${notice.noticeId} is taken`);
}

/** Takes a due notice off the schedule and onto the publishing index; only one publisher run wins it. */
export async function startPublishing(noticeId: string, at: string): Promise<boolean> {
  const publishing = keys.noticePublishing(at, noticeId);
  return writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET #status = :publishing, gsi2pk = :pk, gsi2sk = :sk, progressAt = :at",
        ConditionExpression: "#status = :scheduled",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":publishing": "publishing",
          ":scheduled": "scheduled",
          ":pk": publishing.gsi2pk,
          ":sk": publishing.gsi2sk,
          ":at": at,
        },
      }),
    ),
  );
}

/**
 * Every page of the audience is done: the notice counts as published with its final audience (the
 * report counts it as sent, with that audience, from this one change) and leaves the publishing index.
 */
export const markPublished = (noticeId: string, audienceSize: number, incomplete = false) =>
  writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: `SET #status = :published, publishedAt = :now, audienceSize = :size${
          incomplete ? ", fanoutIncomplete = :true" : ""
        } REMOVE gsi2pk, gsi2sk`,
        ConditionExpression: "#status = :publishing",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":published": "published",
          ":publishing": "publishing",
          ":now": new Date().toISOString(),
          ":size": audienceSize,
          ...(incomplete ? { ":true": true } : {}),
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
      Limit: 100,
    }),
  );
  const ids = (out.Items ?? []).map((i) => String(i.noticeId));
  return (await Promise.all(ids.map(getNotice))).filter((n): n is NoticeRecord => n !== undefined);
}

/** Notices whose fan-out is running (a handful at any time), oldest first. */
export async function publishingNoticeIds(limit = 100): Promise<string[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: T(),
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.noticePublishing("", "").gsi2pk },
      ProjectionExpression: "noticeId",
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => String(i.noticeId));
}

export const listCentreNotices = (centreId: string, limit: number, cursor?: string) =>
  queryPage<NoticeRecord>({
    index: "gsi1",
    partition: keys.noticesOfCentre(centreId).gsi1pk,
    limit,
    cursor,
    newestFirst: true,
  });

/** The contract statuses whose residents a notice reaches (both are still served), in paging order. */
export const SIGNED_SEGMENTS = ["active", "terminating"] as const;
export type SignedSegment = (typeof SIGNED_SEGMENTS)[number];

/**
 * One page of a team's signed residents in one status, with what targeting needs from the
 * contract's snapshot, and the cursor of the next page (null at the end of the status).
 */
export async function signedResidentsPage(
  teamId: string,
  segment: SignedSegment,
  limit: number,
  cursor?: string,
) {
  const partition = keys.contractsOfTeam(teamId).gsi1pk;
  const out = await db.send(
    new QueryCommand({
      TableName: T(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :status)",
      ExpressionAttributeValues: { ":pk": partition, ":status": `${segment}#` },
      ProjectionExpression: "residentId, householdId, #resident.birthDate, groupsAtSigning",
      ExpressionAttributeNames: { "#resident": "resident" },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, { gsi1pk: partition }),
    }),
  );
  return {
    items: (out.Items ?? []).map((i) => ({
      residentId: String(i.residentId),
      householdId: String(i.householdId),
      birthDate: String((i.resident as { birthDate?: string } | undefined)?.birthDate ?? "1900-01-01"),
      groupsAtSigning: (i.groupsAtSigning ?? []) as PriorityGroup[],
    })),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
}

/** Where one team's part of a notice's fan-out stands: the page to do next and where it starts. */
export interface FanoutCheckpoint {
  noticeId: string;
  teamId: string;
  page: number;
  segment: SignedSegment;
  cursor?: string;
  done: boolean;
  updatedAt: string;
}

/** The chain of one team starts at its first page; a second planner run keeps the first's. */
export const putCheckpointIfAbsent = (noticeId: string, teamId: string, at: string) =>
  putIfAbsent({
    ...keys.noticeFanout(noticeId, teamId),
    type: "NoticeFanout",
    noticeId,
    teamId,
    page: 0,
    segment: SIGNED_SEGMENTS[0],
    done: false,
    updatedAt: at,
    // Kept a month for operations to look into; the notice itself keeps the counts for good.
    expiresAt: Math.floor(Date.parse(at) / 1000) + 30 * 86_400,
  });

export async function getCheckpoint(noticeId: string, teamId: string) {
  const out = await db.send(
    new GetCommand({ TableName: T(), Key: keys.noticeFanout(noticeId, teamId), ConsistentRead: true }),
  );
  return strip<FanoutCheckpoint>(out.Item);
}

/** The checkpoints of a notice (one per team of its audience; a centre has tens). */
export async function listCheckpoints(noticeId: string): Promise<FanoutCheckpoint[]> {
  const { pk, skPrefix } = keys.noticeFanoutsPrefix(noticeId);
  return queryAll<FanoutCheckpoint>(pk, skPrefix);
}

/** Records how many chains the fan-out has; only the first planner run sets it. */
export const setChains = (noticeId: string, chains: number) =>
  writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET chains = :n",
        ConditionExpression: "attribute_not_exists(chains) AND #status = :publishing",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":n": chains, ":publishing": "publishing" },
      }),
    ),
  );

/**
 * A page is done: the checkpoint moves from `page` to the next one (or to done) and the notice
 * counts the page's recipients, in one transaction conditioned on the checkpoint still being at
 * `page`, so a redelivered or duplicated page message counts and continues nothing twice.
 */
export async function advanceCheckpoint(
  noticeId: string,
  teamId: string,
  page: number,
  next: { segment: SignedSegment; cursor?: string } | null,
  recipients: number,
  at: string,
  /** Written with the page's count, once per page (a survey's invited count of the team). */
  alsoWrite: TransactItem[] = [],
): Promise<boolean> {
  const names: Record<string, string> = { "#page": "page", "#done": "done", "#updatedAt": "updatedAt" };
  const values: Record<string, unknown> = { ":page": page, ":next": page + 1, ":false": false, ":at": at };
  let update = "SET #page = :next, #updatedAt = :at";
  if (next) {
    names["#segment"] = "segment";
    names["#cursor"] = "cursor";
    values[":segment"] = next.segment;
    update += ", #segment = :segment";
    if (next.cursor) {
      values[":cursor"] = next.cursor;
      update += ", #cursor = :cursor";
    } else update += " REMOVE #cursor";
  } else {
    names["#cursor"] = "cursor";
    values[":true"] = true;
    update += ", #done = :true REMOVE #cursor";
  }
  const result = await transact([
    {
      Update: {
        TableName: T(),
        Key: keys.noticeFanout(noticeId, teamId),
        UpdateExpression: update,
        ConditionExpression: "#page = :page AND #done = :false",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.notice(noticeId),
        // Every recipient of the page holds its copy by now (delivered here or by an earlier try of
        // this page), so the page counts them all at once: one write on the notice per page, not
        // one per delivery (the notice item is the fan-out's hot item).
        UpdateExpression: `SET audienceCounted = if_not_exists(audienceCounted, :zero) + :n, delivered = delivered + :n, progressAt = :at${
          next ? "" : ", chainsDone = if_not_exists(chainsDone, :zero) + :one"
        } REMOVE resumes`,
        ConditionExpression: "#status = :publishing",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":zero": 0,
          ":n": recipients,
          ":at": at,
          ":publishing": "publishing",
          ...(next ? {} : { ":one": 1 }),
        },
      },
    },
    ...alsoWrite,
  ]);
  return result.ok;
}

/** The publisher's sweep restarted a stalled fan-out: counted, and the stall clock starts again. */
export const noteResume = (noticeId: string, at: string) =>
  writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.notice(noticeId),
        UpdateExpression: "SET resumes = if_not_exists(resumes, :zero) + :one, progressAt = :at",
        ConditionExpression: "#status = :publishing",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":zero": 0, ":one": 1, ":at": at, ":publishing": "publishing" },
      }),
    ),
  );

export interface DeliveryResult {
  delivered: boolean;
}

/**
 * Delivers a notice to one resident's inbox, once: the marker, the message, the resident's unread
 * counter and the household's "reached this year" mark together. Paged fan-outs count deliveries
 * per page (advanceCheckpoint); a batch of the previous release's shape counts each one here.
 */
export async function deliverNotice(
  notice: NoticeRecord,
  recipient: Recipient,
  message: InboxMessage,
  at: Date,
  options: { countOnNotice: boolean },
): Promise<boolean> {
  const result = await transact([
    ...deliveryItems(
      recipient.residentId,
      { ...message, centreId: notice.centreId, teamId: notice.teamId },
      `notice#${notice.noticeId}#${recipient.residentId}`,
      at,
    ),
    ...(options.countOnNotice
      ? [
          {
            Update: {
              TableName: T(),
              Key: keys.notice(notice.noticeId),
              UpdateExpression: "SET delivered = delivered + :one",
              ExpressionAttributeValues: { ":one": 1 },
            },
          },
        ]
      : []),
    unreadDelta(recipient.residentId, 1),
    { Put: { TableName: T(), Item: householdNoticedMark(at, recipient.householdId, notice.noticeId) } },
  ]);
  return result.ok;
}

/** The household's "reached this year" mark: the year is Asia/Shanghai's, as the plan counts it. */
export const householdNoticedMark = (at: Date, householdId: string, noticeId: string) => ({
  ...keys.householdNoticed(yearInChina(at), householdId),
  type: "HouseholdNoticed",
  householdId,
  lastNoticeId: noticeId,
});

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

/**
 * Marks a personal message read (no notice behind it: not in the unread count, which counts
 * notices). Once: a message already read is left as it is.
 */
export const markPersonalRead = (residentId: string, delivery: { messageId: string; sentAt: string }) =>
  writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.inboxMessage(residentId, delivery.sentAt, delivery.messageId),
        UpdateExpression: "SET #read = :true, readAt = :now",
        ConditionExpression: "attribute_exists(pk) AND #read = :false",
        ExpressionAttributeNames: { "#read": "read" },
        ExpressionAttributeValues: { ":true": true, ":false": false, ":now": new Date().toISOString() },
      }),
    ),
  );

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
    {
      Put: {
        TableName: T(),
        Item: { ...keys.residentLecture(residentId, noticeId), type: "ResidentLecture", noticeId },
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
    { Delete: { TableName: T(), Key: keys.residentLecture(residentId, noticeId) } },
  ]);
  return result.ok;
}

/** The lectures a resident registered for (erasure cancels those not yet attended). */
export const residentLectures = (residentId: string) => {
  const { pk, skPrefix } = keys.residentLecturesPrefix(residentId);
  return queryAll<{ noticeId: string }>(pk, skPrefix);
};

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

/**
 * Consumes one of the user's one-time grants for a template; false when none is left. A one-item
 * transaction (see recordGrant): a plain conditional update retried after a lost answer would find
 * the grant it had just taken gone and report none.
 */
export async function takeGrant(userId: string, templateId: string): Promise<boolean> {
  const result = await transact([
    {
      Update: {
        TableName: T(),
        Key: keys.subscriptionGrant(userId, templateId),
        UpdateExpression: "SET remaining = remaining - :one",
        ConditionExpression: "remaining > :zero",
        ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
      },
    },
  ]);
  return result.ok;
}

/**
 * Records what the user granted (or refused) in wx.requestSubscribeMessage. An increment, so it
 * goes as a one-item transaction: the SDK's idempotency token makes its retry of a write whose
 * answer was lost (a time-out after it took effect) count once, where a plain UpdateItem would
 * count the grant twice.
 */
export async function recordGrant(userId: string, templateId: string, outcome: "accept" | "refused") {
  await transact([
    {
      Update: {
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
      },
    },
  ]);
}

/** A user's grants (a few templates), read consistently: the caller has usually just recorded one. */
export async function listGrants(userId: string) {
  const { pk, skPrefix } = keys.subscriptionGrantsPrefix(userId);
  return queryAll<{ templateId: string; remaining: number }>(pk, skPrefix);
}

/** A WeChat refusal (43101) means the grant we counted is gone: stop trying until asked again. */
export async function clearGrant(userId: string, templateId: string) {
  await recordGrant(userId, templateId, "refused");
}

/** One page of a team's household markers (members 0: the household left; callers skip those). */
export const householdsOfTeamPage = (teamId: string, limit: number, cursor?: string) => {
  const { pk, skPrefix } = keys.householdsOfTeamPrefix(teamId);
  return queryPage<{ householdId: string; members: number }>({ partition: pk, skPrefix, limit, cursor });
};

/** Which of these households a notice reached in the year: one BatchGet, not one read each. */
export async function householdsNoticed(year: string, householdIds: readonly string[]): Promise<Set<string>> {
  const found = await getMany<{ householdId: string }>(
    householdIds.map((h) => keys.householdNoticed(year, h)),
  );
  return new Set(found.map((f) => f.householdId));
}
