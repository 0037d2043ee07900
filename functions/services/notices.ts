import { ulid } from "ulid";
import type { z } from "zod";
import { todayInChina } from "../../shared/dates.js";
import type { PublishNoticeBody, SubscriptionsBody } from "../../shared/schemas/notices.js";
import { getTeam, listTeamsOfCentre } from "../data/centres-repo.js";
import { getContract } from "../data/contracts-repo.js";
import { getResident, listRepresentations } from "../data/identity-repo.js";
import { get } from "../data/items.js";
import { keys } from "../data/keys.js";
import { mergeNewestFirst } from "../data/merge.js";
import * as repo from "../data/notices-repo.js";
import {
  currentGroups,
  inAudience,
  type NoticeRecord,
  pushPayload,
  type Recipient,
  toNoticeView,
} from "../domain/notices.js";
import { ApiError, fieldError, forbidden, notFound } from "../lib/errors.js";
import { sendNoticeBatches } from "../lib/queue.js";
import type { Session } from "../lib/session.js";
import { actsFor, isManagerOf, isStaffOf } from "./access.js";
import { pushToFamily } from "./push.js";

/** Messages on the fan-out queue carry ids only (never personal data), in batches of this size. */
export const RECIPIENTS_PER_MESSAGE = 100;

/** Every signed resident of the audience's teams, narrowed to the requested groups. */
async function* audienceOf(notice: Pick<NoticeRecord, "centreId" | "audience">): AsyncGenerator<Recipient[]> {
  const today = todayInChina();
  const teamIds =
    notice.audience.scope === "team" && notice.audience.teamId
      ? [notice.audience.teamId]
      : (await allTeamsOf(notice.centreId)).map((t) => t.teamId);
  for (const teamId of teamIds) {
    for await (const page of repo.signedResidentsOfTeam(teamId)) {
      yield page
        .filter((r) =>
          inAudience(currentGroups(r.birthDate, r.groupsAtSigning, today), notice.audience.groups),
        )
        .map(({ residentId, householdId }) => ({ residentId, householdId }));
    }
  }
}

async function allTeamsOf(centreId: string) {
  const teams = [];
  let cursor: string | undefined;
  do {
    const page = await listTeamsOfCentre(centreId, 100, cursor);
    teams.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return teams;
}

async function countAudience(notice: Pick<NoticeRecord, "centreId" | "audience">) {
  let size = 0;
  for await (const page of audienceOf(notice)) size += page.length;
  return size;
}

/**
 * Publishes now: the audience is read once, goes onto the queue in batches (delivery happens in
 * the worker), and its size is recorded with the published status.
 */
async function enqueue(notice: NoticeRecord): Promise<number> {
  let size = 0;
  let batch: Recipient[] = [];
  const messages: { noticeId: string; recipients: Recipient[] }[] = [];
  for await (const page of audienceOf(notice)) {
    for (const recipient of page) {
      batch.push(recipient);
      size++;
      if (batch.length === RECIPIENTS_PER_MESSAGE) {
        messages.push({ noticeId: notice.noticeId, recipients: batch });
        batch = [];
      }
    }
  }
  if (batch.length) messages.push({ noticeId: notice.noticeId, recipients: batch });
  await sendNoticeBatches(messages);
  await repo.markPublished(notice.noticeId, size);
  return size;
}

export async function publish(session: Session, body: PublishNoticeBody) {
  let centreId: string;
  let teamId: string | undefined;
  if (body.audience.scope === "team") {
    const team = await getTeam(body.audience.teamId ?? "");
    if (!team) throw fieldError("audience.teamId", "团队不存在");
    if (!isStaffOf(session, team.teamId) && !isManagerOf(session, team.centreId)) {
      throw forbidden("只能向本团队的签约居民发布通知");
    }
    centreId = team.centreId;
    teamId = team.teamId;
  } else {
    const target = body.audience.centreId ?? session.centreId;
    if (!target || !isManagerOf(session, target)) throw forbidden("只有中心管理员可以向全中心发布通知");
    centreId = target;
  }
  const now = new Date();
  const publishAt = body.publishAt ? new Date(body.publishAt) : now;
  if (body.publishAt && publishAt.getTime() < now.getTime() - 60_000)
    throw fieldError("publishAt", "定时发布时间不能早于现在");
  if (body.lecture && Date.parse(body.lecture.startsAt) <= now.getTime())
    throw fieldError("lecture.startsAt", "讲座时间须晚于现在");
  const scheduled = publishAt.getTime() > now.getTime() + 60_000;
  const notice: NoticeRecord = {
    noticeId: `n_${ulid()}`,
    kind: body.kind,
    title: body.title,
    body: body.body,
    centreId,
    teamId,
    audience: { scope: body.audience.scope, teamId, groups: body.audience.groups },
    publishAt: publishAt.toISOString(),
    status: scheduled ? "scheduled" : "publishing",
    authorUserId: session.userId,
    authorTeamId: session.teamId,
    lecture: body.lecture
      ? { venue: body.lecture.venue, startsAt: new Date(body.lecture.startsAt).toISOString() }
      : undefined,
    lectureCapacity: body.lecture?.capacity,
    lectureRegistered: 0,
    audienceSize: 0,
    delivered: 0,
    read: 0,
    attended: 0,
    pushed: 0,
    pushRefused: 0,
    createdAt: now.toISOString(),
  };
  // A scheduled notice shows the audience it would have today; it is counted again when it goes out.
  if (scheduled) notice.audienceSize = await countAudience(notice);
  await repo.createNotice(notice);
  if (!scheduled) notice.audienceSize = await enqueue(notice);
  return {
    noticeId: notice.noticeId,
    audienceSize: notice.audienceSize,
    status: notice.status,
    publishAt: notice.publishAt,
  };
}

/** The scheduled job: notices whose time has come are published, each by exactly one run. */
export async function publishDue(now: Date) {
  let published = 0;
  for (const notice of await repo.dueNotices(now.toISOString())) {
    if (await repo.startPublishing(notice.noticeId)) {
      await enqueue(notice);
      published++;
    }
  }
  return { published };
}

/**
 * The fan-out worker's unit of work: deliver one batch, then push to WeChat where the family holds
 * a grant. Re-delivery of the same batch writes nothing twice (each delivery is conditional).
 */
export async function deliverBatch(message: { noticeId: string; recipients: Recipient[] }) {
  const notice = await repo.getNotice(message.noticeId);
  if (!notice) throw new Error(`notice ${message.noticeId} does not exist`);
  const now = new Date();
  let delivered = 0;
  let pushed = 0;
  let refused = 0;
  for (let i = 0; i < message.recipients.length; i += 10) {
    const results = await Promise.all(
      message.recipients.slice(i, i + 10).map(async (recipient) => {
        const fresh = await repo.deliverNotice(
          notice,
          recipient,
          { kind: notice.kind, title: notice.title, body: notice.body, noticeId: notice.noticeId },
          now,
        );
        return fresh ? await pushToFamily(recipient.residentId, pushPayload(notice)) : undefined;
      }),
    );
    for (const r of results) {
      if (r === undefined) continue;
      delivered++;
      if (r === "sent") pushed++;
      if (r === "refused") refused++;
    }
  }
  await repo.addPushCounts(notice.noticeId, pushed, refused);
  return { delivered, pushed, refused };
}

async function myResidentIds(session: Session) {
  return (await listRepresentations(session.userId)).map((r) => r.residentId);
}

export async function inbox(session: Session, limit: number, cursor?: string) {
  const residentIds = await myResidentIds(session);
  const page = await mergeNewestFirst({
    partitions: residentIds,
    limit,
    cursor,
    fetch: repo.listInbox,
    sortKey: (m) => `${m.sentAt}#${m.messageId}`,
    resumeKey: (m, residentId) => keys.inboxMessage(residentId, m.sentAt, m.messageId),
  });
  const unread = (await Promise.all(residentIds.map(repo.unreadCount))).reduce((a, b) => a + b, 0);
  return {
    items: page.items.map((m) => ({
      noticeId: m.noticeId ?? null,
      messageId: m.messageId,
      residentId: m.residentId,
      kind: m.kind,
      title: m.title,
      body: m.body,
      publishedAt: m.sentAt,
      read: m.read,
    })),
    nextCursor: page.nextCursor,
    unread,
  };
}

/** Who may see a notice: its audience (through any family member), its team's staff, the manager. */
async function visibleNotice(session: Session, noticeId: string) {
  const notice = await repo.getNotice(noticeId);
  if (!notice) throw notFound("通知不存在");
  const author =
    notice.authorUserId === session.userId || (notice.teamId ? isStaffOf(session, notice.teamId) : false);
  const manager = isManagerOf(session, notice.centreId);
  const deliveries: { residentId: string; messageId: string; sentAt: string }[] = [];
  for (const residentId of await myResidentIds(session)) {
    const delivery = await repo.deliveryOf(noticeId, residentId);
    if (delivery) deliveries.push({ residentId, ...delivery });
  }
  if (!author && !manager && deliveries.length === 0) throw notFound("通知不存在");
  return { notice, author, manager, deliveries };
}

export async function noticeView(session: Session, noticeId: string) {
  const { notice, deliveries } = await visibleNotice(session, noticeId);
  let read: boolean | undefined;
  const registered: string[] = [];
  for (const d of deliveries) {
    const message = await repo.getInboxMessage(d.residentId, d.sentAt, d.messageId);
    read = (read ?? false) || Boolean(message?.read);
    if (notice.lecture && (await repo.getRegistration(noticeId, d.residentId))) registered.push(d.residentId);
  }
  return {
    ...toNoticeView(notice),
    read,
    registeredResidentIds: deliveries.length ? registered : undefined,
    reachedResidentIds: deliveries.length ? deliveries.map((d) => d.residentId) : undefined,
  };
}

/** Reading marks the notice read for every family member it reached through this account. */
export async function markRead(session: Session, noticeId: string) {
  const { deliveries } = await visibleNotice(session, noticeId);
  if (deliveries.length === 0) throw forbidden("该通知不是发给您的");
  for (const d of deliveries) await repo.markRead(noticeId, d.residentId, d);
}

export async function registerLecture(session: Session, noticeId: string, residentId: string) {
  const notice = await repo.getNotice(noticeId);
  if (!notice) throw notFound("通知不存在");
  if (!(await actsFor(session, residentId))) throw forbidden("只能为本人或代办的家庭成员报名");
  if (!notice.lecture || notice.lectureCapacity === undefined)
    throw new ApiError(409, "NOT_A_LECTURE", "该通知不是讲座");
  if (Date.parse(notice.lecture.startsAt) <= Date.now())
    throw new ApiError(409, "LECTURE_STARTED", "讲座已开始，无法报名");
  const at = new Date().toISOString();
  const outcome = await repo.register(noticeId, residentId, at);
  if (outcome === "not-audience") throw forbidden("该讲座不面向此居民");
  if (outcome === "already") throw new ApiError(409, "ALREADY_REGISTERED", "已报名该讲座");
  if (outcome === "full") throw new ApiError(409, "LECTURE_FULL", "讲座名额已满");
  return { noticeId, residentId, registeredAt: at, attendedAt: null };
}

export async function cancelRegistration(session: Session, noticeId: string, residentId: string) {
  if (!(await actsFor(session, residentId))) throw forbidden("只能取消本人或代办的家庭成员的报名");
  const registration = await repo.getRegistration(noticeId, residentId);
  if (!registration) throw notFound("没有该报名");
  if (!(await repo.unregister(noticeId, residentId)))
    throw new ApiError(409, "ALREADY_ATTENDED", "已签到的报名不能取消");
  return { ...registration, attendedAt: null };
}

/** Staff check attendance in; the lecture counts as health education on a running contract. */
export async function recordAttendance(session: Session, noticeId: string, residentId: string) {
  const { notice, author, manager } = await visibleNotice(session, noticeId);
  if (!author && !manager) throw forbidden("只有发布团队或中心管理员可以签到");
  const registration = await repo.getRegistration(noticeId, residentId);
  if (!registration) throw notFound("该居民未报名");
  const at = new Date().toISOString();
  const lock = await get<{ contractId: string }>(keys.signedLock(residentId));
  const contract = lock ? await getContract(lock.contractId) : undefined;
  const running = contract && (contract.status === "active" || contract.status === "terminating");
  const service = running
    ? {
        serviceId: `lecture_${noticeId}`,
        contractId: contract.contractId,
        serviceType: "health_education" as const,
        deliveredAt: at,
        place: notice.lecture?.venue ?? "健康讲座",
        notes: notice.title,
        outcome: null,
        staffUserId: session.userId,
        staffName: "讲座签到",
        source: "lecture" as const,
      }
    : undefined;
  if (!(await repo.recordAttendance(noticeId, residentId, at, service))) {
    throw new ApiError(409, "ALREADY_ATTENDED", "该居民已签到");
  }
  return { ...registration, attendedAt: at };
}

/** A lecture's registrations (capacity ≤ 2,000, so one list), for the authors' attendance check-in. */
export async function registrations(session: Session, noticeId: string) {
  const { author, manager } = await visibleNotice(session, noticeId);
  if (!author && !manager) throw forbidden("只有发布团队或中心管理员可以查看报名名单");
  const items = await Promise.all(
    (await repo.listRegistrations(noticeId)).map(async (r) => ({
      residentId: r.residentId,
      residentName: (await getResident(r.residentId))?.name ?? "已注销居民",
      registeredAt: r.registeredAt,
      attendedAt: r.attendedAt ?? null,
    })),
  );
  return { items, nextCursor: null };
}

export async function stats(session: Session, noticeId: string) {
  const { notice, author, manager } = await visibleNotice(session, noticeId);
  if (!author && !manager) throw forbidden("只有发布者和中心管理员可以查看统计");
  return {
    audienceSize: notice.audienceSize,
    delivered: notice.delivered,
    read: notice.read,
    registered: notice.lectureRegistered,
    attended: notice.attended,
    pushed: notice.pushed,
    pushRefused: notice.pushRefused,
  };
}

export async function recordSubscriptions(session: Session, body: z.infer<typeof SubscriptionsBody>) {
  for (const [templateId, answer] of Object.entries(body.results)) {
    await repo.recordGrant(session.userId, templateId, answer === "accept" ? "accept" : "refused");
  }
  return {
    grants: (await repo.listGrants(session.userId)).map(({ templateId, remaining }) => ({
      templateId,
      remaining,
    })),
  };
}

/** Signed households of the centre that no notice has reached this year (the plan asks for one each). */
export async function householdsWithoutNotice(
  session: Session,
  centreId: string,
  year: number,
  limit: number,
  cursor?: string,
) {
  if (!isManagerOf(session, centreId)) throw forbidden("只有中心管理员可以查看");
  const teams = await allTeamsOf(centreId);
  const start = cursor ? Number(Buffer.from(cursor, "base64url").toString("utf8")) : 0;
  if (!Number.isInteger(start) || start < 0 || start > teams.length)
    throw fieldError("cursor", "分页参数无效");
  const items: { householdId: string; teamId: string; teamName: string; members: number }[] = [];
  let next = start;
  // One team at a time: a page ends after the team that fills it (a team has at most 800 households).
  for (; next < teams.length && items.length < limit; next++) {
    const team = teams[next];
    if (!team) continue;
    for (const household of await repo.householdsOfTeam(team.teamId)) {
      if (household.members < 1) continue;
      if (await repo.householdNoticed(String(year), household.householdId)) continue;
      items.push({
        householdId: household.householdId,
        teamId: team.teamId,
        teamName: team.name,
        members: household.members,
      });
    }
  }
  return {
    items,
    nextCursor: next < teams.length ? Buffer.from(String(next)).toString("base64url") : null,
  };
}
