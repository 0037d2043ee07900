import { ulid } from "ulid";
import { todayInChina } from "../../shared/dates.js";
import type { ServiceType } from "../../shared/enums.js";
import {
  type CreateSurveyBody,
  DIMENSIONS,
  type SatisfactionScores,
  type SubmitResponseBody,
  type SurveyTrigger,
} from "../../shared/schemas/surveys.js";
import { getTeam, listTeamsOfCentre } from "../data/centres-repo.js";
import { followUpsOf } from "../data/follow-ups-repo.js";
import { getResident, listRepresentations } from "../data/identity-repo.js";
import { keys } from "../data/keys.js";
import { mergeNewestFirst } from "../data/merge.js";
import * as repo from "../data/surveys-repo.js";
import { answerCounts, surveyResults as resultsOf } from "../domain/survey-results.js";
import {
  type AggregateFigures,
  addFigures,
  aggregateGroups,
  commentsOf,
  contribution,
  emptyFigures,
  type InvitationAbout,
  type InvitationRecord,
  isExpired,
  isLowScore,
  monthOf,
  monthsBetween,
  normaliseAnswers,
  ratingsOf,
  recompute,
  type SurveyRecord,
  scoreView,
  validateAnswers,
} from "../domain/surveys.js";
import type { TeamRecord } from "../domain/teams.js";
import { ApiError, badRequest, conflict, fieldError, forbidden, notFound } from "../lib/errors.js";
import type { Session } from "../lib/session.js";
import { actsFor, isManagerOf } from "./access.js";
import { publishSurveyFanout } from "./notices.js";
import { settingsOf } from "./settings.js";
import { inviteOnce } from "./survey-invitations.js";

/** Satisfaction surveys: questionnaires, invitations from trigger events, responses and scores. */
const managerOnly = (session: Session, centreId: string) => {
  if (!isManagerOf(session, centreId)) throw forbidden("只有本中心管理员可以查看或管理满意度调查");
};

const surveyView = (s: SurveyRecord) => ({
  surveyId: s.surveyId,
  centreId: s.centreId,
  title: s.title,
  trigger: s.trigger,
  questions: s.questions.map((q) => ({ ...q, required: q.required ?? true })),
  isDefault: s.isDefault,
  createdAt: s.createdAt,
  audience: s.audience,
  publishAt: s.publishAt,
  closesAt: s.closesAt,
  fanoutId: s.fanoutId,
  audienceSize: s.audienceSize,
});

export async function createSurvey(session: Session, centreId: string, body: CreateSurveyBody) {
  managerOnly(session, centreId);
  if (body.audience?.scope === "team") {
    const team = await getTeam(body.audience.teamId ?? "");
    if (!team || team.centreId !== centreId) throw fieldError("audience.teamId", "团队不存在或不属于本中心");
  }
  const survey: SurveyRecord & { centreId: string } = {
    surveyId: `s_${ulid()}`,
    centreId,
    title: body.title,
    trigger: body.trigger,
    questions: body.questions.map((q) => ({ ...q, required: q.required ?? true })),
    isDefault: false,
    createdAt: new Date().toISOString(),
    audience: body.audience && {
      scope: body.audience.scope,
      teamId: body.audience.scope === "team" ? body.audience.teamId : undefined,
      groups: body.audience.groups,
    },
    publishAt: body.publishAt && new Date(body.publishAt).toISOString(),
    closesAt: body.closesAt && new Date(body.closesAt).toISOString(),
  };
  if (!survey.audience) {
    await repo.createSurvey(survey);
    return surveyView(survey);
  }
  if (survey.publishAt && Date.parse(survey.publishAt) < Date.now() - 60_000)
    throw fieldError("publishAt", "定时发放时间不能早于现在");
  // The survey first, naming its fan-out: the fan-out's pages read it. Should the fan-out not be
  // created, the request fails and the survey reaches no one (the manager sends it again).
  survey.publishAt ??= survey.createdAt;
  survey.fanoutId = `n_${ulid()}`;
  await repo.createSurvey(survey);
  const fanout = await publishSurveyFanout({
    session,
    noticeId: survey.fanoutId,
    surveyId: survey.surveyId,
    title: survey.title,
    centreId,
    audience: survey.audience,
    publishAt: survey.publishAt,
  });
  return surveyView({ ...survey, audienceSize: fanout.audienceSize });
}

export async function listCentreSurveys(session: Session, centreId: string, limit: number, cursor?: string) {
  managerOnly(session, centreId);
  const page = await repo.listCentreSurveys(centreId, limit, cursor);
  return { items: page.items.map(surveyView), nextCursor: page.nextCursor };
}

/**
 * Invites a resident after a trigger event; one invitation per (survey, resident, occasion), so a
 * replayed event changes nothing. Returns the invitation id, or null when no survey applies.
 */
export async function invite(input: {
  trigger: SurveyTrigger;
  centreId: string;
  residentId: string;
  occasion: string;
  about: InvitationAbout;
  at: string;
}): Promise<string | null> {
  const survey = await repo.activeSurveyFor(input.centreId, input.trigger);
  if (!survey) return null;
  const { invitationId } = await inviteOnce({
    survey,
    centreId: input.centreId,
    residentId: input.residentId,
    occasion: input.occasion,
    about: input.about,
    at: new Date(input.at),
    expiryDays: (await settingsOf(input.centreId)).surveyExpiryDays,
    counted: true,
  });
  return invitationId;
}

/** Called when a visit's fulfilment record names the staff member who completed it. */
export const recordVisitStaff = (appointmentId: string, staffUserId: string) =>
  repo.putVisitStaff(appointmentId, staffUserId);

export async function listMySurveys(
  session: Session,
  residentId: string | undefined,
  limit: number,
  cursor?: string,
) {
  const mine = (await listRepresentations(session.userId)).map((r) => r.residentId);
  if (residentId && !mine.includes(residentId)) throw forbidden("只能查看本人或家庭成员的问卷");
  const now = new Date();
  const page = await mergeNewestFirst({
    partitions: residentId ? [residentId] : mine,
    limit,
    cursor,
    fetch: repo.listPendingOfResident,
    sortKey: (i: InvitationRecord) => `${i.createdAt}#${i.invitationId}`,
    resumeKey: (i, partition) => ({
      ...keys.surveyInvitation(i.invitationId),
      ...keys.pendingSurveyOfResident(partition, i.createdAt, i.invitationId),
    }),
  });
  const surveys = new Map<string, SurveyRecord | undefined>();
  const items = [];
  for (const inv of page.items) {
    // Expired invitations stay in the index until TTL removes them; they are not shown.
    if (isExpired(inv, now)) continue;
    if (!surveys.has(inv.surveyId)) surveys.set(inv.surveyId, await repo.getSurvey(inv.surveyId));
    const survey = surveys.get(inv.surveyId);
    if (!survey) continue;
    items.push({
      invitationId: inv.invitationId,
      surveyId: inv.surveyId,
      residentId: inv.residentId,
      title: survey.title,
      about: inv.about,
      questions: surveyView(survey).questions,
      createdAt: inv.createdAt,
      expiresAt: inv.expiresAtIso,
    });
  }
  return { items, nextCursor: page.nextCursor };
}

export async function submitResponse(session: Session, invitationId: string, body: SubmitResponseBody) {
  const invitation = await repo.getInvitation(invitationId);
  if (!invitation) throw notFound("问卷邀请不存在");
  // Only the invited resident's side may answer: a served resident, never someone else.
  if (!(await actsFor(session, invitation.residentId))) throw forbidden("只有受邀居民本人或其代办人可以作答");
  if (invitation.status === "answered") throw conflict("ALREADY_ANSWERED", "该问卷已提交过");
  const now = new Date();
  if (isExpired(invitation, now)) throw conflict("INVITATION_EXPIRED", "问卷邀请已过期");
  const survey = await repo.getSurvey(invitation.surveyId);
  if (!survey) throw notFound("问卷不存在");
  const issues = validateAnswers(survey, body.answers);
  if (issues.length) throw badRequest(issues[0]?.message ?? "答案不符合问卷要求", issues);

  const answers = normaliseAnswers(body.answers);
  const ratings = ratingsOf(survey, answers);
  const about = { ...invitation.about };
  if (!about.staffId && about.appointmentId) {
    const staff = await repo.getVisitStaff(about.appointmentId);
    if (staff) about.staffId = staff.staffUserId;
  }
  const submittedAt = now.toISOString();
  const add = contribution(ratings);
  const comments = commentsOf(survey, answers);
  const teamId = about.teamId ?? null;
  const surveyItems = [
    repo.respondedAdd(survey.surveyId, teamId, answerCounts(survey, answers)),
    ...comments.map((text, i) =>
      repo.commentPut(survey.surveyId, teamId, submittedAt, `${ulid()}${i}`, text),
    ),
  ];
  const outcome = await repo.submitResponse(
    {
      invitationId,
      surveyId: survey.surveyId,
      centreId: invitation.centreId,
      residentId: invitation.residentId,
      month: monthOf(submittedAt),
      about,
      answers,
      ratings,
      comments,
      low: isLowScore(ratings),
      submittedAt,
      // Consent only means something on a low score; elsewhere it is not kept.
      ...(isLowScore(ratings) && body.contactConsent === true ? { contactConsent: true } : {}),
    },
    aggregateGroups(about).map((group) => ({ group, add })),
    surveyItems,
  );
  if (!outcome.ok) {
    throw outcome.reason === "answered"
      ? conflict("ALREADY_ANSWERED", "该问卷已提交过")
      : conflict("INVITATION_EXPIRED", "问卷邀请已过期");
  }
  return { invitationId, surveyId: survey.surveyId, submittedAt, answers };
}

/** Default range: the current month in Asia/Shanghai. */
export function rangeOrCurrentMonth(from?: string, to?: string) {
  const today = todayInChina();
  const start = from ?? (to ? `${to.slice(0, 7)}-01` : `${today.slice(0, 7)}-01`);
  // Dates compare as strings (YYYY-MM-DD): the later of the start and today.
  const end = to ?? ([start, today].sort().at(-1) as string);
  return { from: start, to: [start, end].sort().at(-1) as string };
}

const MAX_MONTHS = 36;

/** Scores from the aggregate items only: one Query per month in range (at most 36). */
export async function satisfactionScores(
  session: Session,
  centreId: string,
  query: { from?: string; to?: string; groupBy: SatisfactionScores["groupBy"]; teamId?: string },
  options: { measure?: boolean } = {},
) {
  managerOnly(session, centreId);
  const range = rangeOrCurrentMonth(query.from, query.to);
  const months = monthsBetween(range.from, range.to, MAX_MONTHS + 1);
  if (months.length > MAX_MONTHS)
    throw new ApiError(400, "VALIDATION_FAILED", `日期范围不能超过 ${MAX_MONTHS} 个月`, [
      { path: "to", message: `日期范围不能超过 ${MAX_MONTHS} 个月` },
    ]);
  const oneTeam = query.teamId && (query.groupBy === "month" || query.groupBy === "dimension");
  const prefix = oneTeam
    ? `TEAM#${query.teamId}`
    : ({ team: "TEAM#", staff: "STAFF#", serviceType: "SVC#", month: "ALL", dimension: "ALL" } as const)[
        query.groupBy
      ];
  const read = await repo.readAggregates(centreId, months, prefix, options);
  const groups = new Map<string, AggregateFigures>();
  const total = emptyFigures();
  for (const item of read.items) {
    // begins_with(TEAM#t_1) also finds TEAM#t_10: one team means exactly its item.
    if (oneTeam && item.group !== prefix) continue;
    const key =
      query.groupBy === "month"
        ? item.month
        : query.groupBy === "dimension"
          ? "ALL"
          : item.group.slice(prefix.length);
    groups.set(key, addFigures(groups.get(key) ?? emptyFigures(), item.figures));
    if (query.groupBy !== "team" && query.groupBy !== "staff" && query.groupBy !== "serviceType")
      addFigures(total, item.figures);
  }
  if (query.groupBy === "team" || query.groupBy === "staff" || query.groupBy === "serviceType") {
    // The total comes from the ALL items, which also count responses outside any team/staff.
    const all = await repo.readAggregates(centreId, months, "ALL", options);
    read.consumedCapacity += all.consumedCapacity;
    for (const item of all.items) addFigures(total, item.figures);
  }
  const names =
    query.groupBy === "team" || query.groupBy === "staff" ? await teamAndStaffNames(centreId) : undefined;
  let out: SatisfactionScores["groups"];
  if (query.groupBy === "dimension") {
    const f = groups.get("ALL") ?? emptyFigures();
    const view = scoreView(f);
    out = DIMENSIONS.filter((d) => f.counts[d]).map((d) => {
      const one = view.dimensions[d] ?? { responses: 0, average: null };
      return { key: d, responses: one.responses, average: one.average, dimensions: { [d]: one } };
    });
  } else {
    out = [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, f]) => ({ key, name: names?.get(key), ...scoreView(f) }));
  }
  const totalView = scoreView(total);
  return {
    result: {
      from: range.from,
      to: range.to,
      groupBy: query.groupBy,
      groups: out,
      total: { responses: totalView.responses, average: totalView.average },
    },
    consumedCapacity: read.consumedCapacity,
  };
}

/** Names for team and staff keys: one Query of the centre's teams (bounded by the number of teams). */
async function teamAndStaffNames(centreId: string) {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await listTeamsOfCentre(centreId, 100, cursor);
    for (const t of res.items as TeamRecord[]) {
      names.set(t.teamId, t.name);
      for (const m of t.members) if (m.userId) names.set(m.userId, m.name);
    }
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return names;
}

export async function listLowScores(session: Session, centreId: string, limit: number, cursor?: string) {
  managerOnly(session, centreId);
  const page = await repo.listLowScores(centreId, limit, cursor);
  const followUps = new Map(
    (await followUpsOf(page.items.map((r) => r.invitationId))).map((f) => [f.responseId, f] as const),
  );
  // Who gave a low score is shown only where they consented to be contacted.
  const consented = page.items.filter((r) => r.contactConsent);
  const residents = new Map(
    (await Promise.all(consented.map((r) => getResident(r.residentId)))).flatMap((p) =>
      p && !p.erasedAt ? [[p.residentId, p] as const] : [],
    ),
  );
  return {
    items: page.items.map((r) => {
      const resident = r.contactConsent ? residents.get(r.residentId) : undefined;
      const followUp = followUps.get(r.invitationId);
      return {
        responseId: r.invitationId,
        contactConsent: r.contactConsent === true,
        contact: resident
          ? {
              residentId: resident.residentId,
              name: resident.name,
              phoneMasked: resident.phoneMasked ?? null,
            }
          : null,
        followUp: followUp ? (({ responseMonth: _m, ...f }) => f)(followUp) : null,
        invitationId: r.invitationId,
        surveyId: r.surveyId,
        teamId: r.about.teamId ?? null,
        staffId: r.about.staffId ?? null,
        serviceType: (r.about.serviceType as ServiceType | undefined) ?? null,
        submittedAt: r.submittedAt,
        lowRatings: r.ratings.filter((x) => x.value <= 2),
        comments: r.comments,
      };
    }),
    nextCursor: page.nextCursor,
  };
}

/**
 * Recomputes a centre-month's aggregates from the raw responses. Returns both the stored and the
 * recomputed figures; with `write`, the recomputation replaces the stored items (run it while no
 * responses arrive for that month, e.g. after the month has closed).
 */
export async function rebuildAggregates(centreId: string, month: string, options: { write?: boolean } = {}) {
  const responses = await repo.responsesOfMonth(centreId, month);
  const recomputed = recompute(responses);
  const stored = new Map(
    (await repo.readAggregates(centreId, [month], "")).items.map((i) => [i.group, i.figures] as const),
  );
  if (options.write) await repo.writeAggregates(centreId, month, recomputed);
  return { responses: responses.length, recomputed, stored };
}

/** Comments read for the results: the latest, enough for a manager to read through. */
const RESULT_COMMENTS = 200;

/**
 * A survey's results: its per-team figures (one item per team it reached) and its latest anonymous
 * comments; the same reads at 100 residents and at 100,000.
 */
export async function surveyResults(session: Session, centreId: string, surveyId: string) {
  managerOnly(session, centreId);
  const survey = await repo.getSurvey(surveyId);
  if (!survey || survey.centreId !== centreId) throw notFound("问卷不存在");
  const [items, comments, names] = await Promise.all([
    repo.readSurveyStats(surveyId),
    repo.latestComments(surveyId, RESULT_COMMENTS),
    teamAndStaffNames(centreId),
  ]);
  return resultsOf(survey, items, comments.items, names);
}
