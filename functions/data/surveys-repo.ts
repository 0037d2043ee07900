import { PutCommand, QueryCommand, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import type { DIMENSIONS, SurveyTrigger } from "../../shared/schemas/surveys.js";
import {
  type AggregateFigures,
  type Answer,
  DEFAULT_SURVEYS,
  figuresFromItem,
  type InvitationRecord,
  itemFromFigures,
  type SurveyRecord,
} from "../domain/surveys.js";
import { db, tableName } from "../lib/db.js";
import { get, putIfAbsent, queryAll, queryPage, strip } from "./items.js";
import { keys } from "./keys.js";
import type { TransactItem } from "./transactions.js";
import { transact } from "./transactions.js";

/**
 * Surveys, invitations, responses and their aggregates. One response per invitation is the
 * response item's key plus the invitation's status condition, in one transaction that also adds
 * the response to its aggregate items; so the aggregates can never miss or double-count one.
 */
const T = () => tableName();

const surveyItem = (s: SurveyRecord) => ({
  ...keys.survey(s.surveyId),
  ...(s.centreId ? keys.surveyByCentre(s.centreId, s.createdAt, s.surveyId) : {}),
  type: "Survey",
  ...s,
});

export async function getSurvey(surveyId: string): Promise<SurveyRecord | undefined> {
  const stored = await get<SurveyRecord>(keys.survey(surveyId));
  if (stored) return stored;
  return Object.values(DEFAULT_SURVEYS).find((s) => s.surveyId === surveyId);
}

/** The built-in surveys, written once (idempotent: a second run writes nothing). */
export async function ensureDefaultSurveys(): Promise<number> {
  let created = 0;
  for (const survey of Object.values(DEFAULT_SURVEYS)) if (await putIfAbsent(surveyItem(survey))) created++;
  return created;
}

/** Stores a survey and makes it the one new invitations of its trigger use at its centre. */
export async function createSurvey(survey: SurveyRecord & { centreId: string }): Promise<void> {
  const result = await transact([
    { Put: { TableName: T(), Item: surveyItem(survey), ConditionExpression: "attribute_not_exists(pk)" } },
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.activeSurvey(survey.centreId, survey.trigger),
          type: "ActiveSurvey",
          surveyId: survey.surveyId,
          since: survey.createdAt,
        },
      },
    },
  ]);
  if (!result.ok) throw new Error("survey id collision");
}

export async function activeSurveyFor(centreId: string, trigger: SurveyTrigger) {
  const pointer = await get<{ surveyId: string }>(keys.activeSurvey(centreId, trigger));
  if (pointer) return getSurvey(pointer.surveyId);
  return DEFAULT_SURVEYS[trigger];
}

export const listCentreSurveys = (centreId: string, limit: number, cursor?: string) =>
  queryPage<SurveyRecord>({
    index: "gsi1",
    partition: keys.surveyByCentre(centreId, "", "").gsi1pk,
    limit,
    cursor,
    newestFirst: true,
  });

/** Kept 90 days past expiry, then DynamoDB's TTL removes an unanswered invitation. */
const KEEP_AFTER_EXPIRY_S = 90 * 86_400;

const invitationItem = (inv: InvitationRecord) => ({
  ...keys.surveyInvitation(inv.invitationId),
  ...keys.pendingSurveyOfResident(inv.residentId, inv.createdAt, inv.invitationId),
  type: "SurveyInvitation",
  ...inv,
  expiresAt: Math.floor(Date.parse(inv.expiresAtIso) / 1000) + KEEP_AFTER_EXPIRY_S,
});

/**
 * Creates the invitation unless it exists: a replayed trigger event invites nobody twice. With
 * `counted`, the survey's invited count of the team moves in the same transaction (a fan-out counts
 * a whole page at once instead, with its checkpoint: invitedAdd).
 */
export async function createInvitation(inv: InvitationRecord, options: { counted?: boolean } = {}) {
  if (!options.counted) return putIfAbsent(invitationItem(inv));
  const result = await transact([
    { Put: { TableName: T(), Item: invitationItem(inv), ConditionExpression: "attribute_not_exists(pk)" } },
    invitedAdd(inv.surveyId, inv.about.teamId, 1),
  ]);
  return result.ok;
}

/** Adds to a survey's invited count of one team. */
export const invitedAdd = (surveyId: string, teamId: string | null, n: number): TransactItem => ({
  Update: {
    TableName: T(),
    Key: keys.surveyStat(surveyId, teamId),
    UpdateExpression: "SET #type = :type, surveyId = :s, teamId = :t ADD invited :n",
    ExpressionAttributeNames: { "#type": "type" },
    ExpressionAttributeValues: { ":type": "SurveyStat", ":s": surveyId, ":t": teamId ?? "-", ":n": n },
  },
});

/** One response's counts on its team's item: responded, and per question the answer's `q_…` count. */
export const respondedAdd = (surveyId: string, teamId: string | null, counts: string[]): TransactItem => {
  const names: Record<string, string> = { "#type": "type" };
  const values: Record<string, unknown> = {
    ":type": "SurveyStat",
    ":s": surveyId,
    ":t": teamId ?? "-",
    ":one": 1,
  };
  const adds = ["responded :one"];
  counts.forEach((field, i) => {
    names[`#c${i}`] = field;
    adds.push(`#c${i} :one`);
  });
  return {
    Update: {
      TableName: T(),
      Key: keys.surveyStat(surveyId, teamId),
      UpdateExpression: `SET #type = :type, surveyId = :s, teamId = :t ADD ${adds.join(", ")}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

/** A comment without identity: the text and the team only. */
export const commentPut = (
  surveyId: string,
  teamId: string | null,
  submittedAt: string,
  commentId: string,
  text: string,
): TransactItem => ({
  Put: {
    TableName: T(),
    Item: {
      ...keys.surveyComment(surveyId, submittedAt, commentId),
      type: "SurveyComment",
      surveyId,
      teamId: teamId ?? "-",
      text,
      submittedAt,
    },
  },
});

/** A survey's figures: one item per team it reached (a centre has tens of teams). */
export const readSurveyStats = (surveyId: string) =>
  queryAll<Record<string, unknown>>(
    keys.surveyStatsPrefix(surveyId).pk,
    keys.surveyStatsPrefix(surveyId).skPrefix,
  );

/** The latest comments of a survey, newest first. */
export const latestComments = (surveyId: string, limit: number) =>
  queryPage<{ teamId: string; text: string; submittedAt: string }>({
    partition: keys.surveyCommentsOf(surveyId).pk,
    limit,
    newestFirst: true,
  });

export const getInvitation = (invitationId: string) =>
  get<InvitationRecord & { expiresAt?: number }>(keys.surveyInvitation(invitationId));

export const listPendingOfResident = (residentId: string, limit: number, cursor?: string) =>
  queryPage<InvitationRecord>({
    index: "gsi1",
    partition: keys.pendingSurveysOfResident(residentId).gsi1pk,
    limit,
    cursor,
    newestFirst: true,
  });

export const putVisitStaff = (appointmentId: string, staffUserId: string) =>
  putIfAbsent({ ...keys.visitStaff(appointmentId), type: "VisitStaff", staffUserId });
export const getVisitStaff = (appointmentId: string) =>
  get<{ staffUserId: string }>(keys.visitStaff(appointmentId));

export interface ResponseRecord {
  invitationId: string;
  surveyId: string;
  centreId: string;
  residentId: string;
  month: string;
  about: InvitationRecord["about"];
  answers: Answer[];
  ratings: { questionId: string; dimension: (typeof DIMENSIONS)[number]; value: number }[];
  comments: string[];
  low: boolean;
  submittedAt: string;
  /** Ticked by the resident: a low score may be followed up, and shows who gave it. */
  contactConsent?: boolean;
}

export const getResponse = (responseId: string) => get<ResponseRecord>(keys.surveyResponse(responseId));

/** Adds one response's figures to an aggregate item (ADD creates the item and its numbers). */
function aggregateAdd(centreId: string, month: string, group: string, add: AggregateFigures): TransactItem {
  const figures = itemFromFigures(add);
  const names: Record<string, string> = { "#type": "type", "#group": "group" };
  const values: Record<string, unknown> = {
    ":type": "SatisfactionAggregate",
    ":c": centreId,
    ":m": month,
    ":g": group,
  };
  const adds = Object.entries(figures).map(([field, value], i) => {
    names[`#a${i}`] = field;
    values[`:a${i}`] = value;
    return `#a${i} :a${i}`;
  });
  return {
    Update: {
      TableName: T(),
      Key: keys.satisfactionAggregate(centreId, month, group),
      UpdateExpression: `SET #type = :type, centreId = :c, #month = :m, #group = :g ADD ${adds.join(", ")}`,
      ExpressionAttributeNames: { ...names, "#month": "month" },
      ExpressionAttributeValues: values,
    },
  };
}

export type SubmitOutcome = { ok: true } | { ok: false; reason: "answered" | "expired" };

/**
 * The response, the invitation's status and every aggregate it counts in, in one transaction:
 * of two simultaneous submissions exactly one passes the conditions.
 */
export async function submitResponse(
  response: ResponseRecord,
  groups: { group: string; add: AggregateFigures }[],
  /** The survey's own figures and anonymous comments (surveyResults). */
  surveyItems: TransactItem[] = [],
): Promise<SubmitOutcome> {
  const now = response.submittedAt;
  const items: TransactItem[] = [
    {
      Update: {
        TableName: T(),
        Key: keys.surveyInvitation(response.invitationId),
        UpdateExpression: "SET #status = :answered, answeredAt = :now REMOVE gsi1pk, gsi1sk, expiresAt",
        ConditionExpression: "#status = :pending AND expiresAtIso > :now",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":answered": "answered", ":pending": "pending", ":now": now },
      },
    },
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.surveyResponse(response.invitationId),
          ...keys.responseByCentreMonth(
            response.centreId,
            response.month,
            response.submittedAt,
            response.invitationId,
          ),
          ...(response.low
            ? keys.lowScoreByCentre(response.centreId, response.submittedAt, response.invitationId)
            : {}),
          type: "SurveyResponse",
          ...response,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    ...groups.map((g) => aggregateAdd(response.centreId, response.month, g.group, g.add)),
    ...surveyItems,
  ];
  const result = await transact(items);
  if (result.ok) return { ok: true };
  if (result.failed.includes(1)) return { ok: false, reason: "answered" };
  const current = await getInvitation(response.invitationId);
  return { ok: false, reason: current?.status === "answered" ? "answered" : "expired" };
}

export const listLowScores = (centreId: string, limit: number, cursor?: string) =>
  queryPage<ResponseRecord>({
    index: "gsi1",
    partition: keys.lowScoresOfCentre(centreId).gsi1pk,
    limit,
    cursor,
    newestFirst: true,
  });

/**
 * The scores read: one Query per month in range over that month's aggregate items (a handful per
 * team, staff member and service type), whatever the number of responses. With `measure`, the
 * capacity DynamoDB reports for those queries is summed and returned.
 */
export async function readAggregates(
  centreId: string,
  months: string[],
  /** An sk prefix: "ALL", "TEAM#", "TEAM#<id>", "STAFF#", "SVC#", or "" for every group. */
  group: string,
  options: { measure?: boolean } = {},
): Promise<{
  items: { month: string; group: string; figures: AggregateFigures }[];
  consumedCapacity: number;
}> {
  const items: { month: string; group: string; figures: AggregateFigures }[] = [];
  let consumedCapacity = 0;
  for (const month of months) {
    let start: Record<string, unknown> | undefined;
    do {
      const out: QueryCommandOutput = await db.send(
        new QueryCommand({
          TableName: T(),
          KeyConditionExpression: group ? "pk = :pk AND begins_with(sk, :g)" : "pk = :pk",
          ExpressionAttributeValues: {
            ":pk": keys.satisfactionAggregatesOfMonth(centreId, month).pk,
            ...(group ? { ":g": group } : {}),
          },
          ExclusiveStartKey: start,
          ReturnConsumedCapacity: options.measure ? "TOTAL" : undefined,
        }),
      );
      consumedCapacity += out.ConsumedCapacity?.CapacityUnits ?? 0;
      for (const raw of out.Items ?? []) {
        items.push({ month, group: String(raw.sk), figures: figuresFromItem(raw) });
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return { items, consumedCapacity };
}

/** Every raw response of a centre-month (rebuild only: a background or test path, never a request). */
export async function responsesOfMonth(centreId: string, month: string): Promise<ResponseRecord[]> {
  const out: ResponseRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await db.send(
      new QueryCommand({
        TableName: T(),
        IndexName: "gsi2",
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.responsesOfCentreMonth(centreId, month).gsi2pk },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.push(strip<ResponseRecord>(item) as ResponseRecord);
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Overwrites a centre-month's aggregate items with recomputed figures (stale groups set to zero). */
export async function writeAggregates(
  centreId: string,
  month: string,
  figures: Map<string, AggregateFigures>,
): Promise<void> {
  const existing = await readAggregates(centreId, [month], "");
  const groups = new Set([...figures.keys(), ...existing.items.map((i) => i.group)]);
  for (const group of groups) {
    const f = figures.get(group) ?? { responses: 0, sums: {}, counts: {} };
    await db.send(
      new PutCommand({
        TableName: T(),
        Item: {
          ...keys.satisfactionAggregate(centreId, month, group),
          type: "SatisfactionAggregate",
          centreId,
          month,
          group,
          ...itemFromFigures(f),
        },
      }),
    );
  }
}
