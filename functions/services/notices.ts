import { ulid } from "ulid";
import type { z } from "zod";
import { todayInChina } from "../../shared/dates.js";
import type { CheckInBody, PublishNoticeBody, SubscriptionsBody } from "../../shared/schemas/notices.js";
import { getTeam, listTeamsOfCentre } from "../data/centres-repo.js";
import { getContract } from "../data/contracts-repo.js";
import { getResident, listRepresentations } from "../data/identity-repo.js";
import { get } from "../data/items.js";
import { keys } from "../data/keys.js";
import { mergeNewestFirst } from "../data/merge.js";
import * as repo from "../data/notices-repo.js";
import { getRunning } from "../data/stats-repo.js";
import { invitedAdd } from "../data/surveys-repo.js";
import {
  currentGroups,
  inAudience,
  type NoticeRecord,
  pushPayload,
  type Recipient,
  toNoticeView,
} from "../domain/notices.js";
import { checkInTokenValid, issueCheckInToken } from "../lib/check-in-token.js";
import { mapLimit } from "../lib/concurrency.js";
import { ApiError, fieldError, forbidden, notFound } from "../lib/errors.js";
import { logger } from "../lib/logger.js";
import { sendMessages } from "../lib/queue.js";
import type { Session } from "../lib/session.js";
import { actsFor, isManagerOf, isStaffOf } from "./access.js";
import { pushToFamily } from "./push.js";
import { inviteRecipients } from "./survey-invitations.js";

/**
 * The fan-out works in pages: one Query of at most PAGE_SIZE contracts of one team, delivered, then
 * the next page's message. A team (at most 800 households) is a few tens of pages; a centre's teams
 * page in parallel. Messages carry ids and cursors only, never personal data.
 */
export const PAGE_SIZE = 100;
/** Deliveries in flight at once within a page (each is one transaction, plus a push if granted). */
const DELIVERY_CONCURRENCY = 20;
/**
 * A fan-out without progress for this long is resumed by the publisher's sweep (longer than a page
 * takes, even redelivered a few times: SQS redelivers after the 6-minute visibility timeout).
 */
export const STALL_MS = 15 * 60_000;
/**
 * Sweeps in a row without progress (about 75 minutes) after which the fan-out ends with what was
 * delivered, logged as an error, rather than leave the notice `publishing` for good.
 */
export const MAX_RESUMES = 4;

export type FanoutMessage =
  | { kind: "start"; noticeId: string }
  | {
      kind: "page";
      noticeId: string;
      teamId: string;
      page: number;
      segment: repo.SignedSegment;
      cursor?: string;
    };

const pageMessage = (cp: repo.FanoutCheckpoint): FanoutMessage => ({
  kind: "page",
  noticeId: cp.noticeId,
  teamId: cp.teamId,
  page: cp.page,
  segment: cp.segment,
  cursor: cp.cursor,
});

const audienceTeamIds = async (notice: Pick<NoticeRecord, "centreId" | "audience">) =>
  notice.audience.scope === "team" && notice.audience.teamId
    ? [notice.audience.teamId]
    : (await allTeamsOf(notice.centreId)).map((t) => t.teamId);

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

/**
 * What the author is shown when the notice is accepted, without reading the audience: the teams'
 * running figures (persons with a running contract; with target groups, those of a priority group).
 * The exact audience is counted page by page and replaces it once the notice is published.
 */
async function estimateAudience(notice: Pick<NoticeRecord, "centreId" | "audience">) {
  const teamIds = await audienceTeamIds(notice);
  const figures = await mapLimit(teamIds, 10, (teamId) => getRunning(teamId));
  const field = notice.audience.groups?.length ? "priorityPersons" : "activePersons";
  return figures.reduce((sum, f) => sum + Math.max(0, Number(f?.[field] ?? 0)), 0);
}

/** The audience the author may reach: their own team's, or (managers) the whole centre's. */
async function authorisedAudience(session: Session, audience: PublishNoticeBody["audience"]) {
  if (audience.scope === "team") {
    const team = await getTeam(audience.teamId ?? "");
    if (!team) throw fieldError("audience.teamId", "团队不存在");
    if (!isStaffOf(session, team.teamId) && !isManagerOf(session, team.centreId)) {
      throw forbidden("只能向本团队的签约居民发布通知");
    }
    return { centreId: team.centreId, teamId: team.teamId };
  }
  const centreId = audience.centreId ?? session.centreId;
  if (!centreId || !isManagerOf(session, centreId)) throw forbidden("只有中心管理员可以向全中心发布通知");
  return { centreId, teamId: undefined };
}

/** The audience size the author confirms before publishing: the same estimate publishing returns. */
export async function audienceEstimate(session: Session, audience: PublishNoticeBody["audience"]) {
  const { centreId, teamId } = await authorisedAudience(session, audience);
  return {
    audienceSize: await estimateAudience({
      centreId,
      audience: { scope: audience.scope, teamId, groups: audience.groups },
    }),
  };
}

export async function publish(session: Session, body: PublishNoticeBody) {
  const { centreId, teamId } = await authorisedAudience(session, body.audience);
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
    ...freshFigures(now),
  };
  await storeAndStart(notice, scheduled);
  return {
    noticeId: notice.noticeId,
    audienceSize: notice.audienceSize,
    status: notice.status,
    publishAt: notice.publishAt,
  };
}

/** A new fan-out record's figures, all at zero. */
const freshFigures = (now: Date) => ({
  lectureRegistered: 0,
  audienceSize: 0,
  delivered: 0,
  read: 0,
  attended: 0,
  pushed: 0,
  pushRefused: 0,
  createdAt: now.toISOString(),
});

/** Stores a notice or survey fan-out with its audience estimate and, unless scheduled, queues its start. */
async function storeAndStart(notice: NoticeRecord, scheduled: boolean) {
  notice.audienceSize = await estimateAudience(notice);
  await repo.createNotice(notice);
  if (scheduled) return;
  // Accepted and stored: if the queue refuses now, the publisher's sweep starts it within minutes.
  await sendMessages("notices", [{ kind: "start", noticeId: notice.noticeId } satisfies FanoutMessage]).catch(
    (error: unknown) =>
      logger.error("fan-out accepted but not queued; the sweep will start it", {
        noticeId: notice.noticeId,
        error: error as Error,
      }),
  );
}

/**
 * Starts the fan-out of a manual survey's invitations: a notice record that carries the audience
 * (the same targeting, scheduling, paging, checkpoints and stall sweeps as a notice) but delivers
 * invitations, and is neither listed nor counted as a notice. The caller has checked the audience.
 */
export async function publishSurveyFanout(input: {
  session: Session;
  /** Minted by the caller, who stores it on the survey first (the fan-out's pages read the survey). */
  noticeId: string;
  surveyId: string;
  title: string;
  centreId: string;
  audience: { scope: "team" | "centre"; teamId?: string; groups?: NoticeRecord["audience"]["groups"] };
  publishAt?: string;
}) {
  const now = new Date();
  const publishAt = input.publishAt ? new Date(input.publishAt) : now;
  if (input.publishAt && publishAt.getTime() < now.getTime() - 60_000)
    throw fieldError("publishAt", "定时发放时间不能早于现在");
  const scheduled = publishAt.getTime() > now.getTime() + 60_000;
  const notice: NoticeRecord = {
    noticeId: input.noticeId,
    kind: "education",
    title: input.title,
    body: "",
    centreId: input.centreId,
    teamId: input.audience.scope === "team" ? input.audience.teamId : undefined,
    audience: input.audience,
    publishAt: publishAt.toISOString(),
    status: scheduled ? "scheduled" : "publishing",
    authorUserId: input.session.userId,
    authorTeamId: input.session.teamId,
    ...freshFigures(now),
    surveyId: input.surveyId,
  };
  await storeAndStart(notice, scheduled);
  return { fanoutId: notice.noticeId, audienceSize: notice.audienceSize, publishAt: notice.publishAt };
}

/**
 * The scheduled job: notices whose time has come are queued (each by exactly one run), and fan-outs
 * that stopped making progress (a page parked in the dead-letter queue, a continuation lost in a
 * crash) are resumed from their checkpoints, or, after MAX_RESUMES sweeps without progress, ended.
 */
export async function publishDue(now: Date) {
  const at = now.toISOString();
  const starts: FanoutMessage[] = [];
  for (const notice of await repo.dueNotices(at)) {
    const won =
      (await repo.startPublishing(notice.noticeId, at)) ||
      // the write took effect but its answer was lost (the retry found it done): it is still ours
      (await repo.getNoticeNow(notice.noticeId))?.progressAt === at;
    if (won) starts.push({ kind: "start", noticeId: notice.noticeId });
  }
  await sendMessages("notices", starts);
  const swept = await resumeStalled(now);
  return { published: starts.length, ...swept };
}

async function resumeStalled(now: Date) {
  const at = now.toISOString();
  const result = { resumed: 0, finished: 0, abandoned: 0 };
  const messages: FanoutMessage[] = [];
  for (const noticeId of await repo.publishingNoticeIds()) {
    const notice = await repo.getNoticeNow(noticeId);
    if (notice?.status !== "publishing") continue;
    if (Date.parse(notice.progressAt ?? notice.createdAt) > now.getTime() - STALL_MS) continue;
    if (notice.chains !== undefined && (notice.chainsDone ?? 0) >= notice.chains) {
      if (await finishIfComplete(noticeId)) result.finished++;
      continue;
    }
    if ((notice.resumes ?? 0) >= MAX_RESUMES) {
      const size = Math.max(notice.audienceCounted ?? 0, notice.delivered);
      if (await repo.markPublished(noticeId, size, true)) {
        result.abandoned++;
        logger.error("notice fan-out abandoned after repeated stalls", {
          noticeId,
          delivered: notice.delivered,
        });
      }
      continue;
    }
    if (!(await repo.noteResume(noticeId, at))) continue;
    result.resumed++;
    if (notice.chains === undefined) messages.push({ kind: "start", noticeId });
    else for (const cp of await repo.listCheckpoints(noticeId)) if (!cp.done) messages.push(pageMessage(cp));
  }
  await sendMessages("notices", messages);
  return result;
}

/**
 * Plans the fan-out: one chain (checkpoint) per team of the audience, then each chain's first page
 * on the queue. Re-running it (a redelivered message, the sweep) keeps the first plan and only sends
 * first pages again, which the checkpoints make harmless.
 */
export async function startFanout(noticeId: string, now = new Date()) {
  const notice = await repo.getNoticeNow(noticeId);
  if (!notice) throw new Error(`notice ${noticeId} does not exist`);
  if (notice.status !== "publishing") return { chains: 0, skipped: notice.status };
  const at = now.toISOString();
  if (notice.chains === undefined) {
    const teamIds = await audienceTeamIds(notice);
    await mapLimit(teamIds, 10, (teamId) => repo.putCheckpointIfAbsent(noticeId, teamId, at));
  }
  const checkpoints = await repo.listCheckpoints(noticeId);
  if (notice.chains === undefined) await repo.setChains(noticeId, checkpoints.length);
  await sendMessages("notices", checkpoints.filter((cp) => !cp.done && cp.page === 0).map(pageMessage));
  if (checkpoints.every((cp) => cp.done)) await finishIfComplete(noticeId);
  return { chains: checkpoints.length };
}

/**
 * One page of one team's chain: read at most PAGE_SIZE contracts from the checkpoint's cursor,
 * deliver to those in the audience (each delivery is once-only), then move the checkpoint on and
 * queue the next page. Only the message that moves the checkpoint continues the chain; a stale or
 * duplicated message does nothing, except that a redelivered one re-sends the next page in case
 * its first attempt stopped between moving the checkpoint and sending.
 */
export async function fanoutPage(
  message: Extract<FanoutMessage, { kind: "page" }>,
  options: { redelivered?: boolean; now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const { noticeId, teamId } = message;
  const notice = await repo.getNoticeNow(noticeId);
  if (!notice) throw new Error(`notice ${noticeId} does not exist`);
  if (notice.status !== "publishing") return { skipped: "not publishing" as const };
  const cp = await repo.getCheckpoint(noticeId, teamId);
  if (!cp) throw new Error(`notice ${noticeId} has no fan-out checkpoint for team ${teamId}`);
  if (cp.done) {
    await finishIfComplete(noticeId);
    return { skipped: "done" as const };
  }
  if (cp.page !== message.page) {
    if (options.redelivered && cp.page === message.page + 1) await sendMessages("notices", [pageMessage(cp)]);
    return { skipped: "stale" as const };
  }
  // At most PAGE_SIZE contracts, read on into the next status when one ends within the page (a
  // small team is one page); `next` is where the following page starts, null when the team is done.
  const read: Awaited<ReturnType<typeof repo.signedResidentsPage>>["items"] = [];
  let next: { segment: repo.SignedSegment; cursor?: string } | null = {
    segment: cp.segment,
    cursor: cp.cursor,
  };
  while (next && read.length < PAGE_SIZE) {
    const page = await repo.signedResidentsPage(teamId, next.segment, PAGE_SIZE - read.length, next.cursor);
    read.push(...page.items);
    const following: repo.SignedSegment | undefined =
      repo.SIGNED_SEGMENTS[repo.SIGNED_SEGMENTS.indexOf(next.segment) + 1];
    next = page.nextCursor
      ? { segment: next.segment, cursor: page.nextCursor }
      : following
        ? { segment: following }
        : null;
  }
  const today = todayInChina(now);
  const recipients = read
    .filter((r) => inAudience(currentGroups(r.birthDate, r.groupsAtSigning, today), notice.audience.groups))
    .map(({ residentId, householdId }) => ({ residentId, householdId }));
  // A survey's fan-out invites instead of delivering a notice, and counts the team's invitations
  // with the checkpoint (once per page, however often the page runs).
  const surveyPage = notice.surveyId
    ? await inviteRecipients(notice.surveyId, notice.centreId, teamId, recipients, now)
    : undefined;
  const delivered = surveyPage ?? (await deliverTo(notice, recipients, now, { countOnNotice: false }));
  const moved = await repo.advanceCheckpoint(
    noticeId,
    teamId,
    cp.page,
    next,
    recipients.length,
    now.toISOString(),
    notice.surveyId && surveyPage ? [invitedAdd(notice.surveyId, teamId, surveyPage.invited)] : [],
  );
  // Not moved: another delivery of this page moved it first, or this very write took effect and
  // only its answer was lost (then the checkpoint carries this attempt's time, and it goes on).
  if (!moved && (await repo.getCheckpoint(noticeId, teamId))?.updatedAt !== now.toISOString())
    return { ...delivered, skipped: "raced" as const };
  if (next) await sendMessages("notices", [{ kind: "page", noticeId, teamId, page: cp.page + 1, ...next }]);
  else await finishIfComplete(noticeId);
  return { ...delivered, recipients: recipients.length, page: cp.page, last: !next };
}

/** Publishes the notice once every chain is done, with the audience its pages counted. */
async function finishIfComplete(noticeId: string): Promise<boolean> {
  const notice = await repo.getNoticeNow(noticeId);
  if (notice?.status !== "publishing" || notice.chains === undefined) return false;
  if ((notice.chainsDone ?? 0) < notice.chains) return false;
  return repo.markPublished(noticeId, notice.audienceCounted ?? 0);
}

/**
 * Delivers to a set of recipients, then pushes to WeChat where the family holds a grant. A
 * redelivered page writes nothing twice (each delivery is conditional) and pushes only for the
 * deliveries it made itself.
 */
async function deliverTo(
  notice: NoticeRecord,
  recipients: Recipient[],
  now: Date,
  counting: { countOnNotice: boolean },
) {
  const message = { kind: notice.kind, title: notice.title, body: notice.body, noticeId: notice.noticeId };
  const results = await mapLimit(recipients, DELIVERY_CONCURRENCY, async (recipient) => {
    const fresh = await repo.deliverNotice(notice, recipient, message, now, counting);
    return fresh ? await pushToFamily(recipient.residentId, pushPayload(notice)) : undefined;
  });
  let delivered = 0;
  let pushed = 0;
  let refused = 0;
  for (const r of results) {
    if (r === undefined) continue;
    delivered++;
    if (r === "sent") pushed++;
    if (r === "refused") refused++;
  }
  await repo.addPushCounts(notice.noticeId, pushed, refused);
  return { delivered, pushed, refused };
}

/**
 * A fan-out batch as the previous release queued it (recipients listed in the message, the notice
 * already published): still delivered, so messages in flight during a deployment are not lost.
 */
export async function deliverBatch(message: { noticeId: string; recipients: Recipient[] }) {
  const notice = await repo.getNotice(message.noticeId);
  if (!notice) throw new Error(`notice ${message.noticeId} does not exist`);
  return deliverTo(notice, message.recipients, new Date(), { countOnNotice: true });
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
    items: page.items.map(inboxItemView),
    nextCursor: page.nextCursor,
    unread,
  };
}

type StoredMessage = NonNullable<Awaited<ReturnType<typeof repo.getInboxMessage>>>;
const inboxItemView = (m: StoredMessage) => ({
  noticeId: m.noticeId ?? null,
  messageId: m.messageId,
  residentId: m.residentId,
  kind: m.kind,
  title: m.title,
  body: m.body,
  publishedAt: m.sentAt,
  read: m.read,
});

/**
 * Marks one message of a resident's inbox read (markInboxRead): a personal message (a renewal or
 * visit reminder) by itself; a notice's copy as markNoticeRead does (its reads counted once), for
 * this family member only. Reading a renewal reminder is what takes a contract near its end off
 * the team's `renewal_at_risk` list (the stream projector follows the change). Reading again
 * changes nothing.
 */
export async function markInboxRead(
  session: Session,
  messageId: string,
  body: { residentId: string; publishedAt: string },
) {
  if (!(await actsFor(session, body.residentId))) throw forbidden("只能标记本人或代办的家庭成员的消息");
  // Stored as toISOString(): the listed value in any offset finds the same message.
  const sentAt = new Date(body.publishedAt).toISOString();
  const message = await repo.getInboxMessage(body.residentId, sentAt, messageId);
  if (!message || message.messageId !== messageId) throw notFound("消息不存在");
  if (!message.read) {
    const delivery = { messageId, sentAt };
    if (message.noticeId) await repo.markRead(message.noticeId, body.residentId, delivery);
    else await repo.markPersonalRead(body.residentId, delivery);
  }
  return inboxItemView({ ...message, read: true });
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
  const attendedAt = await attend(notice, residentId, session.userId, "讲座签到");
  if (!attendedAt) throw new ApiError(409, "ALREADY_ATTENDED", "该居民已签到");
  return { ...registration, attendedAt };
}

/** The lecture's check-in code for the screen at the venue (its team's staff or the manager). */
export async function checkInToken(session: Session, noticeId: string) {
  const { notice, author, manager } = await visibleNotice(session, noticeId);
  if (!author && !manager) throw forbidden("只有发布团队或中心管理员可以打开签到码");
  if (!notice.lecture) throw new ApiError(409, "NOT_A_LECTURE", "该通知不是讲座");
  return issueCheckInToken(noticeId);
}

/**
 * A resident (or her representative) checks in by scanning the screen's code: the code must be
 * the lecture's and current, so a code sent home stops working within two minutes. A second scan
 * answers the first check-in's time.
 */
export async function checkInLecture(session: Session, noticeId: string, body: z.infer<typeof CheckInBody>) {
  if (!(await actsFor(session, body.residentId))) throw forbidden("只能为本人或代办的家庭成员签到");
  const notice = await repo.getNotice(noticeId);
  if (!notice?.lecture) throw notFound("讲座不存在");
  if (!(await checkInTokenValid(noticeId, body.token)))
    throw new ApiError(409, "CHECK_IN_INVALID", "签到码无效或已过期，请扫描现场屏幕上的最新二维码");
  const registration = await repo.getRegistration(noticeId, body.residentId);
  if (!registration) throw new ApiError(409, "NOT_REGISTERED", "未报名该讲座，请联系现场工作人员登记");
  if (registration.attendedAt) return { ...registration, attendedAt: registration.attendedAt };
  const attendedAt = await attend(notice, body.residentId, notice.authorUserId, "扫码签到");
  const after = attendedAt ? undefined : await repo.getRegistration(noticeId, body.residentId);
  return { ...registration, attendedAt: attendedAt ?? after?.attendedAt ?? new Date().toISOString() };
}

/**
 * Records attendance once, with a health-education service on the resident's running contract.
 * Null when the registration was already attended.
 */
async function attend(
  notice: NoticeRecord,
  residentId: string,
  staffUserId: string,
  staffName: string,
): Promise<string | null> {
  const noticeId = notice.noticeId;
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
        staffUserId,
        staffName,
        source: "lecture" as const,
      }
    : undefined;
  return (await repo.recordAttendance(noticeId, residentId, at, service)) ? at : null;
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
  // The cursor names the team and the position in its household markers, so every request reads
  // one page of markers and one BatchGet of their "reached" marks, whatever the centre's size.
  let position: { team: number; households?: string };
  try {
    position = cursor
      ? (JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as typeof position)
      : { team: 0 };
  } catch {
    throw fieldError("cursor", "分页参数无效");
  }
  if (!Number.isInteger(position.team) || position.team < 0 || position.team > teams.length)
    throw fieldError("cursor", "分页参数无效");
  const team = teams[position.team];
  if (!team) return { items: [], nextCursor: null };
  const page = await repo.householdsOfTeamPage(team.teamId, limit, position.households);
  const signed = page.items.filter((h) => h.members > 0);
  const reached = await repo.householdsNoticed(
    String(year),
    signed.map((h) => h.householdId),
  );
  const items = signed
    .filter((h) => !reached.has(h.householdId))
    .map((h) => ({
      householdId: h.householdId,
      teamId: team.teamId,
      teamName: team.name,
      members: h.members,
    }));
  const next = page.nextCursor
    ? { team: position.team, households: page.nextCursor }
    : position.team + 1 < teams.length
      ? { team: position.team + 1 }
      : null;
  return {
    items,
    nextCursor: next ? Buffer.from(JSON.stringify(next)).toString("base64url") : null,
  };
}
