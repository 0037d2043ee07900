import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Projection } from "../domain/reports.js";
import type { TeamRecord } from "../domain/teams.js";
import { db, tableName } from "../lib/db.js";
import { get, strip } from "./items.js";
import { keys } from "./keys.js";
import type { TransactItem } from "./transactions.js";
import { transact } from "./transactions.js";

/**
 * Report counters kept by the stream projector. Each stream record's counter changes go in one
 * transaction with a marker item named after the record's eventID, so a redelivered record finds
 * its marker and counts nothing twice.
 */
const T = () => tableName();

/** Markers outlive the stream's 24-hour retention (a redelivery can only come within it). */
const MARKER_TTL_S = 7 * 86_400;

function addUpdate(
  key: { pk: string; sk: string },
  type: string,
  adds: Map<string, number>,
  set: Record<string, string>,
): TransactItem {
  const names: Record<string, string> = { "#type": "type" };
  const values: Record<string, unknown> = { ":type": type };
  const sets = ["#type = :type"];
  for (const [i, [field, value]] of Object.entries(set).entries()) {
    names[`#s${i}`] = field;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  }
  const parts = [...adds].map(([field, by], i) => {
    names[`#a${i}`] = field;
    values[`:a${i}`] = by;
    return `#a${i} :a${i}`;
  });
  return {
    Update: {
      TableName: T(),
      Key: key,
      UpdateExpression: `SET ${sets.join(", ")} ADD ${parts.join(", ")}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** Applies a projection once per stream record: "duplicate" when its marker was already there. */
export async function applyProjection(eventId: string, p: Projection): Promise<"applied" | "duplicate"> {
  // One transaction may touch an item once: group the changes by item.
  const byItem = new Map<
    string,
    { key: { pk: string; sk: string }; type: string; set: Record<string, string>; adds: Map<string, number> }
  >();
  const add = (
    key: { pk: string; sk: string },
    type: string,
    set: Record<string, string>,
    field: string,
    by: number,
  ) => {
    const id = `${key.pk}|${key.sk}`;
    let entry = byItem.get(id);
    if (!entry) {
      entry = { key, type, set, adds: new Map() };
      byItem.set(id, entry);
    }
    entry.adds.set(field, (entry.adds.get(field) ?? 0) + by);
  };
  for (const c of p.counters) {
    add(
      keys.reportCounter(p.centreId, c.month, "CENTRE"),
      "ReportCounter",
      { centreId: p.centreId, month: c.month },
      c.field,
      c.by,
    );
    if (c.teamId)
      add(
        keys.reportCounter(p.centreId, c.month, `TEAM#${c.teamId}`),
        "ReportCounter",
        { centreId: p.centreId, month: c.month, teamId: c.teamId },
        c.field,
        c.by,
      );
  }
  for (const r of p.running)
    add(keys.teamRunning(r.teamId), "TeamRunning", { teamId: r.teamId, centreId: p.centreId }, r.field, r.by);
  if (byItem.size === 0) return "applied";
  const items: TransactItem[] = [
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.streamMarker(eventId),
          type: "StreamMarker",
          expiresAt: Math.floor(Date.now() / 1000) + MARKER_TTL_S,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    ...[...byItem.values()].map((e) => addUpdate(e.key, e.type, e.adds, e.set)),
  ];
  const result = await transact(items);
  if (result.ok) return "applied";
  if (result.failed.includes(0)) return "duplicate";
  throw new Error("counter update refused");
}

export const getRunning = (teamId: string) => get<Record<string, number>>(keys.teamRunning(teamId));

/**
 * Records the team's figures as of now for a month: the Team item's signed counters and the
 * running figures. Idempotent (a plain overwrite); the last write of a month is its month-end value.
 */
export async function refreshSnapshot(teamId: string, month: string): Promise<void> {
  const [team, running] = await Promise.all([
    get<TeamRecord>(keys.team(teamId)),
    db.send(new GetCommand({ TableName: T(), Key: keys.teamRunning(teamId), ConsistentRead: true })),
  ]);
  if (!team) return;
  const figures: Record<string, number> = {};
  for (const [k, v] of Object.entries(strip<Record<string, unknown>>(running.Item) ?? {}))
    if (typeof v === "number") figures[k] = v;
  await db.send(
    new PutCommand({
      TableName: T(),
      Item: {
        ...keys.teamSnapshot(teamId, month),
        type: "TeamSnapshot",
        teamId,
        month,
        ...figures,
        signedHouseholds: team.signedHouseholds ?? 0,
        signedPersons: team.signedPersons ?? 0,
        at: new Date().toISOString(),
      },
    }),
  );
}

/** The latest snapshot at or before a month (one Query, Limit 1). */
export async function snapshotAtOrBefore(
  teamId: string,
  month: string,
): Promise<Record<string, unknown> | undefined> {
  const out = await db.send(
    new QueryCommand({
      TableName: T(),
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :lo AND :hi",
      ExpressionAttributeValues: {
        ":pk": keys.teamSnapshot(teamId, month).pk,
        ":lo": "SNAP#",
        ":hi": keys.teamSnapshot(teamId, month).sk,
      },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  return strip(out.Items?.[0]);
}

/** A centre-month's counters: the CENTRE item and one per team (one Query, bounded by teams). */
export async function countersOfMonth(centreId: string, month: string) {
  const out: { scope: string; counters: Record<string, number> }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: T(),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.reportCountersOfMonth(centreId, month).pk },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const counters: Record<string, number> = {};
      for (const [k, v] of Object.entries(item)) if (typeof v === "number") counters[k] = v;
      out.push({ scope: String(item.sk), counters });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}
