import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RowChange } from "../domain/month-closing.js";
import { NO_CARE, type Projection, type TeamMonthFigures } from "../domain/reports.js";
import { db, tableName } from "../lib/db.js";
import { isRetryableAwsFailure } from "../lib/errors.js";
import { get, strip } from "./items.js";
import { keys } from "./keys.js";
import type { RetryReason, TransactItem } from "./transactions.js";
import { transact } from "./transactions.js";

/**
 * Report counters kept by the stream projector, designed for many concurrent writers.
 *
 * Every record of a centre's month moves the same few items (the centre-month counter item, the
 * team-month item, the team's running figures), so one transaction per record would make those
 * items hot: concurrent shards' transactions conflict on them, and one item takes at most 1,000
 * WCU/s, i.e. 500 transactional writes/s. So the counters of a run of records (a stream batch is up
 * to 100 records of one shard) are summed first, and each transaction carries up to
 * RECORDS_PER_TRANSACTION records' markers (exactly-once per eventID) plus ONE aggregated ADD per
 * counter item they touch: a full batch writes each hot item twice, not a hundred times.
 *
 * Not sharded, because aggregation already keeps every counter item far below the per-item limit
 * at the stated peak (README "Throttling": 600 bookings/s for the whole district, route limit 900).
 * Even if all 900/s landed on one centre, that is 900 stream records/s, i.e. at most ~18 full-batch
 * transactions/s (36 WCU/s) on its centre-month item; and a shard runs one batch at a time, each
 * batch costing ≥ 2 sequential transactions, so it would take over 100 shards writing the same
 * centre-month at once to reach 1,000 WCU/s. Sharding would instead make every report read a
 * Query over N shards and sum them, for no gain at this scale.
 */
const T = () => tableName();

/** Markers outlive the stream's 24-hour retention (a redelivery can only come within it). */
const MARKER_TTL_S = 7 * 86_400;

/** DynamoDB's limit: a transaction takes at most 100 items, one action per item. */
const MAX_TRANSACT_ITEMS = 100;
/**
 * Records per transaction: half a full batch, so a batch is two transactions (each hot item written
 * twice per batch), and the markers (50) leave room for the counter items of records spread over
 * many teams and months (the packer also stops at MAX_TRANSACT_ITEMS).
 */
export const RECORDS_PER_TRANSACTION = 50;

export interface ProjectionEntry {
  /** The stream record's eventID: its marker makes the record count once. */
  eventId: string;
  projection: Projection;
}

export interface ApplyStats {
  /** Records whose counters this call applied. */
  applied: number;
  /** Records found already counted (their marker was there): a redelivery or an ambiguous retry. */
  duplicates: number;
  /** Transactions written (successful TransactWriteItems). */
  transactions: number;
  /** Items those transactions wrote (markers and counter updates: 2 WCU each, as items < 1 KB). */
  items: number;
  /** TransactWriteItems sent: calls of transact() plus its retries. */
  attempts: number;
  /** Attempts that found other records' markers and were sent again without them. */
  resubmits: number;
  /** Retries inside transact(): conflicts and throttling. */
  retries: Record<RetryReason, number>;
}

/** The entry at `index` and everything after it were not applied (those before were). */
export class ProjectionError extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(
      `counters not applied from entry ${index}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = "ProjectionError";
  }
}

interface ItemUpdate {
  key: { pk: string; sk: string };
  type: string;
  set: Record<string, string>;
  adds: Map<string, number>;
}

const itemId = (key: { pk: string; sk: string }) => `${key.pk}\u0000${key.sk}`;

/** The counter items a projection moves, each once: centre-month, team-month, team running. */
function updatesOf(p: Projection, into = new Map<string, ItemUpdate>()) {
  const add = (
    key: { pk: string; sk: string },
    type: string,
    set: Record<string, string>,
    field: string,
    by: number,
  ) => {
    const id = itemId(key);
    let entry = into.get(id);
    if (!entry) {
      entry = { key, type, set, adds: new Map() };
      into.set(id, entry);
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
  return into;
}

function addUpdate(e: ItemUpdate): TransactItem | undefined {
  const adds = [...e.adds].filter(([, by]) => by !== 0);
  // Changes that cancel out within the run (+1 and −1) need no write at all.
  if (adds.length === 0) return undefined;
  const names: Record<string, string> = { "#type": "type" };
  const values: Record<string, unknown> = { ":type": e.type };
  const sets = ["#type = :type"];
  for (const [i, [field, value]] of Object.entries(e.set).entries()) {
    names[`#s${i}`] = field;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  }
  const parts = adds.map(([field, by], i) => {
    names[`#a${i}`] = field;
    values[`:a${i}`] = by;
    return `#a${i} :a${i}`;
  });
  return {
    Update: {
      TableName: T(),
      Key: e.key,
      UpdateExpression: `SET ${sets.join(", ")} ADD ${parts.join(", ")}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

const markerItem = (eventId: string): TransactItem => ({
  Put: {
    TableName: T(),
    Item: {
      ...keys.streamMarker(eventId),
      type: "StreamMarker",
      expiresAt: Math.floor(Date.now() / 1000) + MARKER_TTL_S,
    },
    ConditionExpression: "attribute_not_exists(pk)",
  },
});

/** The transaction of some records: their markers first (index i = entry i), then one ADD per item. */
function transactionOf(entries: readonly ProjectionEntry[]): TransactItem[] {
  const updates = new Map<string, ItemUpdate>();
  for (const e of entries) updatesOf(e.projection, updates);
  return [
    ...entries.map((e) => markerItem(e.eventId)),
    ...[...updates.values()].flatMap((u) => addUpdate(u) ?? []),
  ];
}

/** How many entries from `start` fit one transaction: ≤ RECORDS_PER_TRANSACTION, ≤ 100 items. */
function packFrom(entries: readonly ProjectionEntry[], start: number): number {
  const items = new Set<string>();
  let n = 0;
  while (start + n < entries.length && n < RECORDS_PER_TRANSACTION) {
    const touched = [...updatesOf((entries[start + n] as ProjectionEntry).projection).keys()];
    const more = touched.filter((id) => !items.has(id)).length;
    if (n > 0 && n + 1 + items.size + more > MAX_TRANSACT_ITEMS) break;
    for (const id of touched) items.add(id);
    n++;
  }
  return n;
}

/**
 * Applies the counter changes of a run of stream records (in stream order), each record exactly
 * once however often the run is delivered. Records are taken in transactions of consecutive
 * records, one after the other (transactions of the same run would only conflict with each other on
 * the same hot items). When some markers already exist (the records were counted by an earlier
 * delivery, or by this attempt's own write before an ambiguous time-out that the SDK retried),
 * those records are dropped and the rest sent again.
 *
 * Throws ProjectionError naming the first entry not applied: every entry before it is counted,
 * none from it on is counted by this call (a transaction is all or nothing). A transaction refused
 * for a reason retrying cannot fix (a malformed record) is split until the record is isolated, so
 * the records before it still count and the error names that record.
 */
export async function applyProjections(
  entries: readonly ProjectionEntry[],
  options: { deadline?: number } = {},
): Promise<ApplyStats> {
  const stats: ApplyStats = {
    applied: 0,
    duplicates: 0,
    transactions: 0,
    items: 0,
    attempts: 0,
    resubmits: 0,
    retries: { conflict: 0, throttle: 0 },
  };
  const onRetry = ({ reason }: { reason: RetryReason }) => {
    stats.retries[reason]++;
    stats.attempts++;
  };

  const applyRun = async (run: readonly ProjectionEntry[], offset: number): Promise<void> => {
    for (let start = 0; start < run.length; ) {
      const n = packFrom(run, start);
      const chunk = run.slice(start, start + n);
      if (options.deadline !== undefined && Date.now() >= options.deadline)
        throw new ProjectionError(offset + start, new Error("out of time before the next transaction"));
      try {
        await applyChunk(chunk);
      } catch (error) {
        if (chunk.length === 1 || isRetryableAwsFailure(error))
          throw new ProjectionError(offset + start, error);
        // Not a matter of trying again: find the record that makes the transaction invalid.
        const half = Math.ceil(chunk.length / 2);
        await applyRun(chunk.slice(0, half), offset + start);
        await applyRun(chunk.slice(half), offset + start + half);
      }
      start += n;
    }
  };

  const applyChunk = async (chunk: readonly ProjectionEntry[]) => {
    let pending = [...chunk];
    while (pending.length > 0) {
      const items = transactionOf(pending);
      stats.attempts++;
      const result = await transact(items, undefined, { deadline: options.deadline, onRetry });
      if (result.ok) {
        stats.transactions++;
        stats.items += items.length;
        stats.applied += pending.length;
        return;
      }
      // Markers are the first `pending.length` items; the counter updates carry no condition.
      const counted = new Set(result.failed.filter((i) => i < pending.length));
      if (counted.size === 0) throw new Error(`counter update refused at items ${result.failed.join(", ")}`);
      stats.duplicates += counted.size;
      pending = pending.filter((_, i) => !counted.has(i));
      if (pending.length) stats.resubmits++;
    }
  };

  // A stream never delivers an eventID twice in one batch; a caller might: it counts once.
  const unique: ProjectionEntry[] = [];
  const positions: number[] = [];
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    if (seen.has(e.eventId)) continue;
    seen.add(e.eventId);
    unique.push(e);
    positions.push(i);
  }
  try {
    await applyRun(unique, 0);
  } catch (error) {
    // Indexes are those of `entries`.
    if (error instanceof ProjectionError) throw new ProjectionError(positions[error.index] ?? 0, error.cause);
    throw error;
  }
  stats.duplicates += entries.length - unique.length;
  return stats;
}

export const getRunning = (teamId: string) => get<Record<string, number>>(keys.teamRunning(teamId));

/**
 * An item as last written (a strongly consistent GetItem). The projector reacts to a change the
 * moment it happens, so an eventually consistent read could still miss it (or the item it needs).
 */
export async function readNow<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const out = await db.send(new GetCommand({ TableName: T(), Key: key, ConsistentRead: true }));
  return strip<T>(out.Item);
}

/**
 * The snapshots the projector wrote before months were closed from their facts (it overwrote them
 * with the live figures at processing time): read only as the base of a first closing.
 */
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
export async function countersOfMonth(
  centreId: string,
  month: string,
  options: { consistent?: boolean } = {},
) {
  const out: { scope: string; counters: Record<string, number> }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: T(),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.reportCountersOfMonth(centreId, month).pk },
        ExclusiveStartKey: start,
        // Closing and revising a month must see every counter the projector has written.
        ConsistentRead: options.consistent,
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

/** Moves the projector's position forward to `at` (never back: shards report out of order). */
export async function advancePosition(at: string): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: T(),
        Key: keys.projectorPosition(),
        UpdateExpression: "SET #type = :type, #at = :at",
        ConditionExpression: "attribute_not_exists(#at) OR #at < :at",
        ExpressionAttributeNames: { "#type": "type", "#at": "at" },
        ExpressionAttributeValues: { ":type": "ProjectorPosition", ":at": at },
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
  }
}

export const projectorPosition = async () =>
  (await get<{ at?: string }>(keys.projectorPosition()))?.at ?? undefined;

/** One version of a closed month: the figures of its teams and its total, as the report reads them. */
export interface MonthVersion {
  /** 0 for the figures at closing, then 1, 2, … for each revision. */
  revision: number;
  at: string;
  teams: { teamId: string; name: string; f: TeamMonthFigures }[];
  total: TeamMonthFigures;
  /** What changed from the version before (none at closing). */
  changes: RowChange[];
}

const emptyFigures = (): TeamMonthFigures => ({
  counters: {},
  signedHouseholds: 0,
  signedPersons: 0,
  activePersons: 0,
  priorityPersons: 0,
  entitled: {},
  satisfaction: { responses: 0, sum: 0, count: 0 },
  care: { ...NO_CARE },
});
const isEmpty = (f: TeamMonthFigures) =>
  Object.values(f.counters).every((v) => v === 0) &&
  !f.signedHouseholds &&
  !f.signedPersons &&
  !f.activePersons &&
  !f.priorityPersons &&
  Object.values(f.entitled).every((v) => !v) &&
  !f.satisfaction.responses &&
  !f.satisfaction.count &&
  !f.care?.chronicPatients &&
  !f.care?.followupBehind &&
  !f.care?.assessmentsDone;

/** A closed month's versions, oldest first (one Query of its partition); empty while open. */
export async function monthVersions(centreId: string, month: string): Promise<MonthVersion[]> {
  const out: MonthVersion[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: T(),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.closedMonth(centreId, month).pk },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const version = strip<MonthVersion>(item) as MonthVersion;
      version.teams = version.teams.map((t) => ({ ...t, f: t.f ?? emptyFigures() }));
      out.push(version);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out.sort((a, b) => a.revision - b.revision);
}

/**
 * Writes a version of a closed month if that revision number is still free; false when another
 * writer took it (the caller reads again and decides anew).
 */
export async function putMonthVersion(centreId: string, month: string, version: MonthVersion) {
  const key =
    version.revision === 0
      ? keys.closedMonth(centreId, month)
      : keys.monthRevision(centreId, month, version.revision);
  try {
    await db.send(
      new PutCommand({
        TableName: T(),
        Item: {
          ...key,
          type: version.revision === 0 ? "ClosedMonth" : "MonthRevision",
          centreId,
          month,
          ...version,
          // A team with nothing that month is stored by its name alone (an item holds 400 KB).
          teams: version.teams.map((t) => (isEmpty(t.f) ? { teamId: t.teamId, name: t.name } : t)),
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}
