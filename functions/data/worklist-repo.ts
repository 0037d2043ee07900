import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { PriorityGroup } from "../../shared/enums.js";
import { WORKLIST_KINDS, type WorklistKind } from "../../shared/schemas/care.js";
import { db, tableName } from "../lib/db.js";
import { get, getMany, putIfAbsent, queryPage, writeIf } from "./items.js";
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

const countDelta = (teamId: string, kind: WorklistKind, by: 1 | -1) => ({
  Update: {
    TableName: T(),
    Key: keys.workCounts(teamId),
    UpdateExpression: "SET #type = :type, teamId = :team ADD #kind :by",
    ExpressionAttributeNames: { "#type": "type", "#kind": kind },
    ExpressionAttributeValues: { ":type": "WorkCounts", ":team": teamId, ":by": by },
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
          (item.contractId ? ", contractId = :contract" : ""),
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: { "#name": "name" },
        ExpressionAttributeValues: {
          ":dueBy": item.dueBy,
          ":reason": item.reason,
          ":name": item.name,
          ":groups": item.groups,
          ":at": item.updatedAt,
          ...(item.contractId ? { ":contract": item.contractId } : {}),
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
