/**
 * Bench case "hot": counters under contention (issue 11 §4). A burst of stream records (bookings,
 * cancellations, no-shows, notice deliveries and signed contracts of two centres, one month) is fed
 * to the deployed stats projector — each invocation in its own Lambda environment, its DynamoDB
 * calls through the local AWS endpoint with the fault switch on — from several shards at once, as
 * Lambda's event source does: batches of up to 100 in order per shard, a failed batch retried from
 * its first reported record, and some batches delivered again whole. Every record of a centre's
 * month moves the same few counter items, so the shards contend for them.
 *
 * Measured per fault setting: wall time, records/s, TransactWriteItems calls, conflicts injected
 * and their share of the transactions, retries inside transact(), batches retried, and whether
 * every counter equals a recount from the facts (lost 0, double-counted 0).
 *
 * Runs inside `npm run bench` (BENCH_ONLY=hot for this case alone) or on its own:
 * `npx tsx bench/hot-items.ts` (prints the section; writes no report).
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { FaultKind } from "../infra/local/faults.js";
import { batchPut, teamItem } from "./seed.js";
import { type BenchStack, LOG_FILE, progress, startBenchStack } from "./stack.js";
import { pool, round } from "./util.js";

type Item = Record<string, unknown>;
type Rates = Partial<Record<FaultKind, number>>;

export interface HotScenario {
  name: string;
  rates: Rates;
}

export const HOT_SCENARIOS: HotScenario[] = [
  { name: "no faults", rates: {} },
  {
    name: "conflict 10 %, throttle 5 %, ambiguous 2 %",
    rates: { conflict: 0.1, throttle: 0.05, ambiguous: 0.02 },
  },
  { name: "conflict 30 %, ambiguous 5 %", rates: { conflict: 0.3, ambiguous: 0.05 } },
];

export interface HotOptions {
  records?: number;
  shards?: number;
  /** Share of batches delivered a second time, whole (a retried invocation). */
  redeliver?: number;
  scenarios?: HotScenario[];
  /** No new scenario starts after this (epoch ms). */
  deadline?: number;
  log?: (line: string) => void;
}

const MONTH = "2026-03";
const AT = "2026-03-15T04:00:00.000Z"; // 12:00 in Asia/Shanghai: every record in MONTH
const BATCH = 100;
const MAX_DELIVERIES = 12;

interface StreamRecord {
  eventID: string;
  eventName: "INSERT" | "MODIFY";
  eventSource: "aws:dynamodb";
  dynamodb: {
    ApproximateCreationDateTime: number;
    SequenceNumber: string;
    NewImage: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
  };
}

/** The burst: stream records per shard (an item's records in its shard, in order) and true counts. */
function burst(run: string, records: number, shards: number) {
  const centres = [`c_hot_${run}_a`, `c_hot_${run}_b`];
  const teams = centres.flatMap((c) => [0, 1, 2, 3, 4].map((t) => ({ centreId: c, teamId: `${c}_t${t}` })));
  const expected = new Map<string, number>();
  const count = (centreId: string, teamId: string, field: string, by = 1) => {
    for (const scope of ["CENTRE", `TEAM#${teamId}`]) {
      const key = `${centreId}|${scope}|${field}`;
      expected.set(key, (expected.get(key) ?? 0) + by);
    }
  };
  const running = (teamId: string, field: string, by: number) =>
    expected.set(`RUNNING|${teamId}|${field}`, (expected.get(`RUNNING|${teamId}|${field}`) ?? 0) + by);
  const inserts: { item: string; next: Item }[] = [];
  const modifies: { item: string; old: Item; next: Item }[] = [];
  let facts = 0;
  for (let i = 0; inserts.length + modifies.length < records; i++, facts++) {
    const { centreId, teamId } = teams[i % teams.length] as (typeof teams)[number];
    const kind = i % 20;
    if (kind < 12) {
      const booked = {
        type: "Appointment",
        appointmentId: `a_${run}_${i}`,
        centreId,
        teamId,
        residentId: `r_${run}_${i}`,
        serviceType: "consultation",
        date: `${MONTH}-20`,
        status: "booked",
      };
      inserts.push({ item: booked.appointmentId, next: booked });
      count(centreId, teamId, "appointmentsBooked");
      const outcome = kind < 4 ? "cancelled" : kind === 4 ? "no_show" : undefined;
      if (outcome) {
        modifies.push({ item: booked.appointmentId, old: booked, next: { ...booked, status: outcome } });
        count(centreId, teamId, outcome === "cancelled" ? "appointmentsCancelled" : "appointmentsNoShow");
      }
    } else if (kind < 17) {
      inserts.push({
        item: `m_${run}_${i}`,
        next: {
          type: "InboxMessage",
          noticeId: `n_${teamId}`,
          messageId: `m_${run}_${i}`,
          residentId: `r_${run}_${i}`,
          sentAt: AT,
          read: false,
        },
      });
      count(centreId, teamId, "noticesDelivered");
    } else {
      inserts.push({
        item: `k_${run}_${i}`,
        next: {
          type: "Contract",
          contractId: `k_${run}_${i}`,
          centreId,
          teamId,
          residentId: `r_${run}_${i}`,
          status: "active",
          packages: [{ items: [{ type: "chronic_followup", timesPerYear: 4 }] }],
        },
      });
      count(centreId, teamId, "contractsNew");
      running(teamId, "activePersons", 1);
      running(teamId, "ent_chronic_followup", 4);
    }
  }
  // What one transaction per record would write: its marker and each counter item it moves.
  const perRecordItems =
    inserts.reduce((n, r) => n + (r.next.type === "Contract" ? 4 : 3), 0) + modifies.length * 3;
  // …and how often the busiest item (a centre's month) would be written: once per record of the centre.
  const byCentre = new Map<string, number>();
  const centreOf = (next: Item) =>
    String(
      next.centreId ??
        String(next.noticeId)
          .slice("n_".length)
          .replace(/_t\d+$/, ""),
    );
  for (const r of [...inserts, ...modifies])
    byCentre.set(centreOf(r.next), (byCentre.get(centreOf(r.next)) ?? 0) + 1);
  const busiestItemRecords = Math.max(...byCentre.values());
  const shardOf = (item: string) => createHash("sha1").update(item).digest().readUInt32BE(0) % shards;
  const perShard: StreamRecord[][] = Array.from({ length: shards }, () => []);
  const push = (item: string, eventName: "INSERT" | "MODIFY", next: Item, old?: Item) => {
    const list = perShard[shardOf(item)] as StreamRecord[];
    list.push({
      eventID: `${run}-${list.length}-${item}`,
      eventName,
      eventSource: "aws:dynamodb",
      dynamodb: {
        ApproximateCreationDateTime: Date.parse(AT) / 1000,
        SequenceNumber: String(100_000_000 + list.length),
        NewImage: marshall(next, { removeUndefinedValues: true }),
        ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) } : {}),
      },
    });
  };
  for (const r of inserts) push(r.item, "INSERT", r.next);
  for (const r of modifies) push(r.item, "MODIFY", r.next, r.old);
  const seed: Item[] = teams.flatMap(({ centreId, teamId }) => [
    teamItem(centreId, teamId, `基准热点团队 ${teamId}`),
    {
      pk: `NOTICE#n_${teamId}`,
      sk: "NOTICE",
      type: "Notice",
      noticeId: `n_${teamId}`,
      centreId,
      teamId,
      kind: "seasonal",
      status: "published",
      publishedAt: AT,
    },
  ]);
  return { centres, teams, perShard, expected, seed, facts, perRecordItems, busiestItemRecords };
}

/** The counters as the table holds them (read straight from DynamoDB Local, no faults). */
async function recount(stack: BenchStack, centres: string[], teams: { teamId: string }[]) {
  const actual = new Map<string, number>();
  for (const centreId of centres) {
    const out = await stack.raw.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: marshall({ ":pk": `STATS#${centreId}#${MONTH}` }),
        ConsistentRead: true,
      }),
    );
    for (const raw of out.Items ?? []) {
      const item = unmarshall(raw);
      for (const [k, v] of Object.entries(item))
        if (typeof v === "number") actual.set(`${centreId}|${item.sk}|${k}`, v);
    }
  }
  for (const { teamId } of teams) {
    const out = await stack.raw.send(
      new GetItemCommand({
        TableName: stack.tableName,
        Key: marshall({ pk: `STATS#TEAM#${teamId}`, sk: "RUNNING" }),
        ConsistentRead: true,
      }),
    );
    for (const [k, v] of Object.entries(out.Item ? unmarshall(out.Item) : {}))
      if (typeof v === "number") actual.set(`RUNNING|${teamId}|${k}`, v);
  }
  return actual;
}

/** The projector's per-batch log lines ("stream batch projected") written since `offset`. */
function batchLines(offset: number) {
  const sum = {
    batches: 0,
    counted: 0,
    alreadyCounted: 0,
    transactions: 0,
    transactItems: 0,
    transactAttempts: 0,
    conflictRetries: 0,
    throttleRetries: 0,
  };
  let size = 0;
  try {
    size = statSync(LOG_FILE).size;
  } catch {
    return undefined;
  }
  if (size <= offset) return sum;
  const fd = openSync(LOG_FILE, "r");
  const buffer = Buffer.alloc(size - offset);
  readSync(fd, buffer, 0, buffer.length, offset);
  closeSync(fd);
  for (const line of buffer.toString("utf8").split("\n")) {
    if (!line.includes('"stream batch projected"')) continue;
    try {
      const l = JSON.parse(line) as Record<string, number>;
      sum.batches++;
      for (const k of [
        "counted",
        "alreadyCounted",
        "transactions",
        "transactItems",
        "transactAttempts",
        "conflictRetries",
        "throttleRetries",
      ] as const)
        sum[k] += Number(l[k] ?? 0);
    } catch {
      // a line cut by the write in progress
    }
  }
  return sum;
}

const logSize = () => {
  try {
    return statSync(LOG_FILE).size;
  } catch {
    return 0;
  }
};

async function scenario(
  stack: BenchStack,
  s: HotScenario,
  records: number,
  shards: number,
  redeliver: number,
) {
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const data = burst(run, records, shards);
  await batchPut(stack.raw, stack.tableName, data.seed);
  const previous = stack.faults.config;
  let random = 0x9e3779b9;
  const roll = () => {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    return (random >>> 0) / 0x1_0000_0000;
  };
  const offset = logSize();
  stack.faults.configure({ rates: s.rates, seed: 11 });
  stack.faults.resetCounts();
  const delivery = { invocations: 0, retriedBatches: 0, redelivered: 0, invokeErrors: 0, gaveUp: 0 };
  const t0 = performance.now();
  try {
    await Promise.all(
      data.perShard.map(async (list) => {
        for (let start = 0; start < list.length; ) {
          const batch = list.slice(start, start + BATCH);
          let from = 0;
          for (let attempt = 0; from < batch.length; attempt++) {
            if (attempt >= MAX_DELIVERIES) {
              delivery.gaveUp += batch.length - from;
              break;
            }
            if (attempt > 0) delivery.retriedBatches++;
            delivery.invocations++;
            const pending = batch.slice(from);
            const out = (await stack.runtime.invoke("statsProjector", { Records: pending }).catch(() => {
              delivery.invokeErrors++;
              return { batchItemFailures: [{ itemIdentifier: pending[0]?.dynamodb.SequenceNumber }] };
            })) as { batchItemFailures?: { itemIdentifier?: string }[] };
            const failed = (out?.batchItemFailures ?? []).map((f) =>
              pending.findIndex((r) => r.dynamodb.SequenceNumber === f.itemIdentifier),
            );
            const first = Math.min(...failed.filter((i) => i >= 0), pending.length);
            from += first;
          }
          // The same batch again, whole, as after an invocation Lambda thought had failed.
          if (roll() < redeliver) {
            delivery.redelivered++;
            delivery.invocations++;
            await stack.runtime
              .invoke("statsProjector", { Records: batch })
              .catch(() => delivery.invokeErrors++);
          }
          start += batch.length;
        }
      }),
    );
  } finally {
    stack.faults.configure({ rates: previous.rates });
  }
  const wallMs = performance.now() - t0;
  const summary = stack.faults.summary();
  const actual = await recount(stack, data.centres, data.teams);
  let lost = 0;
  let doubled = 0;
  const wrong: string[] = [];
  for (const key of new Set([...data.expected.keys(), ...actual.keys()])) {
    const e = data.expected.get(key) ?? 0;
    const a = actual.get(key) ?? 0;
    if (a < e) lost += e - a;
    if (a > e) doubled += a - e;
    if (a !== e && wrong.length < 5) wrong.push(`${key}: ${a} (expected ${e})`);
  }
  const total = data.perShard.reduce((n, l) => n + l.length, 0);
  const lines = batchLines(offset);
  const attempted = lines?.transactAttempts ?? 0;
  return {
    name: s.name,
    rates: s.rates,
    records: total,
    shards,
    wallMs: round(wallMs, 0),
    recordsPerSecond: round(total / (wallMs / 1000), 0),
    invocations: delivery.invocations,
    retriedBatches: delivery.retriedBatches,
    redeliveredBatches: delivery.redelivered,
    invokeErrors: delivery.invokeErrors,
    transactWriteItems: attempted,
    committedTransactions: lines?.transactions ?? null,
    recordsPerTransaction: lines?.transactions ? round(lines.counted / lines.transactions, 1) : null,
    conflictsInjected: summary.injected.conflict,
    conflictRate: attempted ? round(summary.injected.conflict / attempted, 3) : 0,
    throttlesInjected: summary.injected.throttle,
    ambiguousInjected: summary.injected.ambiguous,
    retries: lines ? { conflict: lines.conflictRetries, throttle: lines.throttleRetries } : null,
    alreadyCounted: lines?.alreadyCounted ?? null,
    // 2 WCU per item of a committed transaction (every item here is under 1 KB).
    wruPerRecord: lines ? round((2 * lines.transactItems) / total, 2) : null,
    perRecordDesign: {
      transactions: total,
      wruPerRecord: round((2 * data.perRecordItems) / total, 2),
      busiestItemWrites: data.busiestItemRecords,
    },
    exact: lost === 0 && doubled === 0 && delivery.gaveUp === 0,
    lost,
    doubleCounted: doubled,
    gaveUp: delivery.gaveUp,
    wrong,
  };
}

export type HotResult = Awaited<ReturnType<typeof hotItems>>;

export async function hotItems(stack: BenchStack, options: HotOptions = {}) {
  const log = options.log ?? ((line: string) => progress(`${line}\n`));
  const records = options.records ?? Number(process.env.BENCH_HOT_RECORDS ?? 6_000);
  const shards = options.shards ?? 8;
  const redeliver = options.redeliver ?? 0.1;
  // Warm-up, not measured: one environment per shard, and a small burst through them (cold starts
  // and DynamoDB Local's first transactions are other sections' business).
  await pool(Array.from({ length: shards }), shards, () =>
    stack.runtime.invoke("statsProjector", { Records: [] }).catch(() => undefined),
  );
  await scenario(stack, { name: "warm-up", rates: {} }, Math.min(records, 800), shards, 0);
  const runs: Awaited<ReturnType<typeof scenario>>[] = [];
  for (const s of options.scenarios ?? HOT_SCENARIOS) {
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      log(`  hot items: "${s.name}" not run (time limit)`);
      continue;
    }
    const r = await scenario(stack, s, records, shards, redeliver);
    log(
      `  hot items, ${s.name}: ${r.records} records / ${r.shards} shards in ${r.wallMs} ms; ${r.transactWriteItems} transactions, ${r.conflictsInjected} conflicts (${r.conflictRate}), retries ${JSON.stringify(r.retries)}, ${r.retriedBatches} batches retried; exact ${r.exact} (lost ${r.lost}, double ${r.doubleCounted})`,
    );
    runs.push(r);
  }
  return {
    runs,
    note: "Synthetic stream records of 2 centres × 5 teams in one month (60 % appointments, a third of them later cancelled or no-show; 25 % notice deliveries; 15 % signed contracts), split over shards by item as DynamoDB Streams does, each shard's batches of ≤ 100 in order. Faults are injected by the local AWS endpoint: conflicts per TransactWriteItems call (conflict rate = conflicts / transactions sent), throttling and lost answers per DynamoDB call (the SDK retries those itself, maxAttempts 3; transact() retries what it gives up on). Transactions sent, committed, retries and records found already counted are summed from the projector's per-batch log lines; a committed transaction writes each counter item at most once, so a centre-month item takes at most one write per committed transaction (in brackets: one transaction per record, the previous design). WRU = 2 per item of a committed transaction (all items < 1 KB; DynamoDB Local's ConsumedCapacity for transactions is not usable). Counts are compared with a recount of the generated facts.",
  };
}

/** The report's section (bench/report.ts renders it as section 7). */
export function renderHotItems(h: HotResult | undefined): string[] {
  const out = ["## 7. Hot items under injected conflicts", ""];
  if (!h?.runs?.length) return [...out, "Not measured in this run.", ""];
  out.push(
    "| faults | records | shards | wall ms | records/s | transactions sent / committed | records per committed | injected: conflict · throttle · ambiguous | conflict rate | retries in transact() (conflict / throttle) | batches retried / redelivered | records found already counted | writes on a centre-month item (one transaction per record) | WRU per record (one transaction per record) | lost | double-counted | exact |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
  );
  for (const r of h.runs)
    out.push(
      `| ${r.name} | ${r.records} | ${r.shards} | ${r.wallMs} | ${r.recordsPerSecond} | ${r.transactWriteItems} / ${r.committedTransactions ?? "–"} | ${r.recordsPerTransaction ?? "–"} | ${r.conflictsInjected} · ${r.throttlesInjected} · ${r.ambiguousInjected} | ${r.conflictRate} | ${r.retries ? `${r.retries.conflict} / ${r.retries.throttle}` : "–"} | ${r.retriedBatches} / ${r.redeliveredBatches} | ${r.alreadyCounted ?? "–"} | ≤ ${r.committedTransactions ?? "–"} (${r.perRecordDesign.busiestItemWrites}) | ${r.wruPerRecord ?? "–"} (${r.perRecordDesign.wruPerRecord}) | ${r.lost} | ${r.doubleCounted} | ${r.exact ? "yes" : "**no**"} |`,
    );
  out.push("", h.note, "");
  const wrong = h.runs.flatMap((r) => r.wrong.map((w) => `${r.name}: ${w}`));
  if (wrong.length) out.push("Counters that differ from the recount:", "", ...wrong.map((w) => `- ${w}`), "");
  return out;
}

/** Goals of the case, as misses for the report. */
export function hotMisses(h: HotResult): string[] {
  return h.runs.flatMap((r) =>
    r.exact
      ? []
      : [
          `hot items (${r.name}): counters not exact (lost ${r.lost}, double-counted ${r.doubleCounted}, gave up ${r.gaveUp})`,
        ],
  );
}

async function main() {
  const stack = await startBenchStack();
  try {
    const result = await hotItems(stack);
    progress(`${renderHotItems(result).join("\n")}\n`);
    progress(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stack.stop().catch(() => undefined);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      progress(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
