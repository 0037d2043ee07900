import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { PriorityGroup } from "../../shared/enums.js";
import { WORKLIST_KINDS, type WorklistKind } from "../../shared/schemas/care.js";
import { db, tableName } from "../lib/db.js";
import { get, getMany, putIfAbsent, queryPage, strip, writeIf } from "./items.js";
import { keys } from "./keys.js";
import { transact } from "./transactions.js";

/**
 * The team's work-list as items under the team's partition (`WORK#<teamId>`, sort key
 * `<kind>#<residentId>[#ref]`), with a counts item per team moved in the same transaction as each
 * item appears or goes. A page is one Query on the partition; the counts one GetItem: neither grows
 * with the number of residents. Every write is conditional on the item's presence or absence, so
 * applying the same result twice (a redelivered stream batch, a re-run job) changes nothing.
 */
const T = () => tableName();

export interface WorkItemRecord {
  kind: WorklistKind;
  teamId: string;
  residentId: string;
  name: string;
  groups: PriorityGroup[];
  dueBy: string;
  reason: string;
  lastDoneAt?: string;
  contractId?: string;
  appointmentId?: string;
  requestId?: string;
  updatedAt: string;
}

export type WorkKey = { pk: string; sk: string };

const refOf = (item: Pick<WorkItemRecord, "appointmentId" | "requestId">) =>
  item.appointmentId ?? item.requestId;
export const workKeyOf = (
  item: Pick<WorkItemRecord, "teamId" | "kind" | "residentId" | "appointmentId" | "requestId">,
) => keys.workItem(item.teamId, item.kind, item.residentId, refOf(item));

/**
 * Moves one figure of the team's counts item (a kind's open items, or a roster's size), and its
 * `version`, which orders the month snapshots (snapshotCounts) however the writers interleave.
 */
const countDelta = (teamId: string, field: WorklistKind | CareRoster["field"], by: 1 | -1) => ({
  Update: {
    TableName: T(),
    Key: keys.workCounts(teamId),
    UpdateExpression: "SET #type = :type, teamId = :team ADD #field :by, #version :one",
    ExpressionAttributeNames: { "#type": "type", "#field": field, "#version": "version" },
    ExpressionAttributeValues: { ":type": "WorkCounts", ":team": teamId, ":by": by, ":one": 1 },
  },
});

/** The stored items at these keys (consistent), by key. */
export async function currentItems(itemKeys: readonly WorkKey[]) {
  const found = await getMany<WorkItemRecord>(itemKeys);
  return new Map(found.map((i) => [idOf(workKeyOf(i)), i]));
}

export const idOf = (key: WorkKey) => `${key.pk}\n${key.sk}`;

const sameContent = (a: WorkItemRecord, b: WorkItemRecord) =>
  a.dueBy === b.dueBy &&
  a.reason === b.reason &&
  a.name === b.name &&
  a.lastDoneAt === b.lastDoneAt &&
  a.contractId === b.contractId &&
  JSON.stringify(a.groups) === JSON.stringify(b.groups);

/**
 * Makes the item present with this content: created with its count (once, by condition), or
 * updated in place when its content changed; nothing written when it is already so.
 */
export async function ensureItem(
  item: WorkItemRecord,
  existing?: WorkItemRecord,
): Promise<"created" | "updated" | "same"> {
  if (existing && sameContent(existing, item)) return "same";
  const key = workKeyOf(item);
  if (!existing) {
    const created = await transact([
      {
        Put: {
          TableName: T(),
          Item: { ...key, type: "WorkItem", ...item },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      countDelta(item.teamId, item.kind, 1),
    ]);
    if (created.ok) return "created";
  }
  const updated = await writeIf(() =>
    db.send(
      new UpdateCommand({
        TableName: T(),
        Key: key,
        UpdateExpression:
          "SET dueBy = :dueBy, reason = :reason, #name = :name, groups = :groups, updatedAt = :at" +
          (item.contractId ? ", contractId = :contract" : "") +
          (item.lastDoneAt ? ", lastDoneAt = :lastDone" : " REMOVE lastDoneAt"),
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: { "#name": "name" },
        ExpressionAttributeValues: {
          ":dueBy": item.dueBy,
          ":reason": item.reason,
          ":name": item.name,
          ":groups": item.groups,
          ":at": item.updatedAt,
          ...(item.contractId ? { ":contract": item.contractId } : {}),
          ...(item.lastDoneAt ? { ":lastDone": item.lastDoneAt } : {}),
        },
      }),
    ),
  );
  return updated ? "updated" : "same";
}

/** Takes the item off the list with its count, once (nothing when it is not there). */
export async function removeItem(teamId: string, kind: WorklistKind, key: WorkKey): Promise<boolean> {
  const removed = await transact([
    { Delete: { TableName: T(), Key: key, ConditionExpression: "attribute_exists(pk)" } },
    countDelta(teamId, kind, -1),
  ]);
  return removed.ok;
}

export const listWorkItems = (
  teamId: string,
  kind: WorklistKind | undefined,
  limit: number,
  cursor?: string,
) => {
  const { pk, skPrefix } = keys.workItemsOfTeam(teamId, kind);
  return queryPage<WorkItemRecord>({ partition: pk, skPrefix: skPrefix || undefined, limit, cursor });
};

/**
 * The care rosters behind the monthly report's shares (issue 16): which residents of a team are
 * chronic patients with a running contract, and whose assessment of this contract year is done.
 * Kept by the same refresh as the items (services/worklist.ts), one entry per resident under the
 * team's `CARE#` partition, each counted in the counts item in the same transaction: the report
 * reads the count, never the entries. The refresh joins a roster before writing the items and
 * leaves it after removing them, so an open followup_behind item always has its roster entry.
 */
export const CARE_ROSTERS = [
  { roster: "chronic", field: "chronicPatients" },
  { roster: "assessed", field: "assessmentsDone" },
] as const;
export type CareRoster = (typeof CARE_ROSTERS)[number];

/** Which of these roster entries are stored (consistent), as `<teamId>#<roster>`. */
export async function currentRosters(
  entries: readonly { teamId: string; roster: CareRoster["roster"]; residentId: string }[],
) {
  const found = await getMany<{ teamId: string; roster: string }>(
    entries.map((e) => keys.careRoster(e.teamId, e.roster, e.residentId)),
  );
  return new Set(found.map((f) => `${f.teamId}#${f.roster}`));
}

/** Puts the resident on the roster (or takes them off) with its count, once; true when it changed. */
export async function setRoster(
  teamId: string,
  roster: CareRoster,
  residentId: string,
  present: boolean,
  at: string,
): Promise<boolean> {
  const key = keys.careRoster(teamId, roster.roster, residentId);
  const result = await transact([
    present
      ? {
          Put: {
            TableName: T(),
            Item: { ...key, type: "CareRoster", teamId, roster: roster.roster, residentId, at },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        }
      : { Delete: { TableName: T(), Key: key, ConditionExpression: "attribute_exists(pk)" } },
    countDelta(teamId, roster.field, present ? 1 : -1),
  ]);
  return result.ok;
}

/**
 * Copies the team's counts into this month's snapshot (China month of `now`), which the monthly
 * report reads for a past month. Conditional on the counts' version, so of two writers racing
 * the one that read the later counts wins: the last snapshot of a month is its month-end value.
 */
export async function snapshotCounts(teamId: string, now = new Date()) {
  const counts = await get<Record<string, unknown>>(keys.workCounts(teamId));
  if (!counts) return false;
  const month = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
  const figures: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) if (typeof v === "number") figures[k] = v;
  return writeIf(() =>
    db.send(
      new PutCommand({
        TableName: T(),
        Item: {
          ...keys.workCountsMonth(teamId, month),
          ...figures,
          type: "WorkCountsMonth",
          teamId,
          month,
          at: now.toISOString(),
        },
        ConditionExpression: "attribute_not_exists(pk) OR #version < :v",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":v": figures.version ?? 0 },
      }),
    ),
  );
}

/** The counts of a month: live for the current month and later, else the last snapshot at or before it. */
export async function countsOfMonth(teamId: string, month: string, current: string) {
  if (month >= current) return get<Record<string, unknown>>(keys.workCounts(teamId));
  const out = await db.send(
    new QueryCommand({
      TableName: T(),
      ConsistentRead: true,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :lo AND :hi",
      ExpressionAttributeValues: {
        ":pk": keys.workCounts(teamId).pk,
        ":lo": "MONTH#",
        ":hi": keys.workCountsMonth(teamId, month).sk,
      },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  return strip<Record<string, unknown>>(out.Items?.[0]);
}

export async function workCounts(teamId: string): Promise<Record<WorklistKind, number>> {
  const stored = await get<Partial<Record<WorklistKind, number>>>(keys.workCounts(teamId));
  return Object.fromEntries(WORKLIST_KINDS.map((k) => [k, Math.max(0, Number(stored?.[k] ?? 0))])) as Record<
    WorklistKind,
    number
  >;
}

/** Days ahead on which the daily job re-evaluates a resident (kept 60 days past the day). */
export async function scheduleChecks(teamId: string, residentId: string, dates: readonly string[]) {
  for (const date of dates)
    await putIfAbsent({
      ...keys.workAgenda(date, teamId, residentId),
      type: "WorkAgenda",
      teamId,
      residentId,
      date,
      expiresAt: Math.floor(Date.parse(`${date}T00:00:00+08:00`) / 1000) + 60 * 86_400,
    });
}

export const agendaPage = (date: string, teamId: string | undefined, limit: number, cursor?: string) => {
  const { pk, skPrefix } = keys.workAgendaPrefix(date, teamId);
  return queryPage<{ teamId: string; residentId: string; date: string }>({
    partition: pk,
    skPrefix: skPrefix || undefined,
    limit,
    cursor,
  });
};

export const dropAgenda = (date: string, teamId: string, residentId: string) =>
  db.send(new DeleteCommand({ TableName: T(), Key: keys.workAgenda(date, teamId, residentId) }));

export const markReminderRead = (residentId: string, contractId: string, at: string) =>
  putIfAbsent({
    ...keys.reminderRead(residentId, contractId),
    type: "ReminderRead",
    residentId,
    contractId,
    at,
  });

export const reminderWasRead = async (residentId: string, contractId: string) =>
  (await get(keys.reminderRead(residentId, contractId))) !== undefined;
