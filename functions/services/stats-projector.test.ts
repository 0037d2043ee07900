import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { Context, DynamoDBStreamEvent } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The stream projector against an in-process fake of DynamoDB's transactions: conditions, ADD,
 * one action per item, 100 items, key size, and the faults AWS has (TransactionConflict,
 * throttling the SDK gave up on, a write that took effect but whose answer was lost, which the SDK
 * sends again, answered from the ClientRequestToken cache or re-run against the conditions).
 */
const fake = vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
  return { send: (_command: unknown): Promise<unknown> => Promise.resolve({}) };
});
vi.mock("../lib/db.js", () => ({
  db: { send: (command: unknown) => fake.send(command) },
  dynamo: {},
  tableName: () => "jiayi-test",
}));

const { transact, transactStats } = await import("../data/transactions.js");
const { projectBatch } = await import("./stats-projector.js");
const { handler } = await import("../workers/stats-projector.js");

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

const faults = { conflict: 0, throttle: 0, ambiguous: 0 };
let seed = 1;
const random = () => {
  // xorshift32: repeatable runs.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
};
const table = new Map<string, Item>();
/** Successful writes per item (how hot each item ran). */
const writes = new Map<string, number>();
const injected = { conflict: 0, throttle: 0, ambiguous: 0, tokenAnswers: 0 };
const id = (key: Key) => `${key.pk}\u0000${key.sk}`;

const cancelled = (reasons: { Code: string }[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled [${reasons.map((r) => r.Code).join(", ")}]`,
    $metadata: {},
    CancellationReasons: reasons,
  });
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

type Action = {
  Put?: { Item: Item; ConditionExpression?: string };
  Update?: {
    Key: Key;
    UpdateExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  };
};

function update(item: Item, u: NonNullable<Action["Update"]>) {
  const [, set = "", add = ""] = /^SET (.*?)(?: ADD (.*))?$/.exec(u.UpdateExpression) ?? [];
  for (const part of set.split(", ").filter(Boolean)) {
    const [name, value] = part.split(" = ") as [string, string];
    item[u.ExpressionAttributeNames[name] as string] = u.ExpressionAttributeValues[value];
  }
  for (const part of add.split(", ").filter(Boolean)) {
    const [name, value] = part.split(" ") as [string, string];
    const field = u.ExpressionAttributeNames[name] as string;
    item[field] = Number(item[field] ?? 0) + Number(u.ExpressionAttributeValues[value]);
  }
}

/** TransactWriteItems as DynamoDB runs it, once the request got through. */
function runTransaction(actions: Action[]) {
  if (actions.length > 100)
    throw named("ValidationException", "Member must have length less than or equal to 100");
  const keysOf = actions.map((a) =>
    a.Put ? { pk: String(a.Put.Item.pk), sk: String(a.Put.Item.sk) } : a.Update?.Key,
  );
  if (keysOf.some((k) => !k || k.sk.length > 1024)) throw named("ValidationException", "key too large");
  if (new Set(keysOf.map((k) => id(k as Key))).size !== keysOf.length)
    throw named("ValidationException", "Transaction request cannot include multiple operations on one item");
  const reasons = actions.map((a) =>
    a.Put?.ConditionExpression === "attribute_not_exists(pk)" &&
    table.has(id(keysOf[actions.indexOf(a)] as Key))
      ? { Code: "ConditionalCheckFailed" }
      : { Code: "None" },
  );
  if (reasons.some((r) => r.Code !== "None")) throw cancelled(reasons);
  for (const [i, a] of actions.entries()) {
    const key = keysOf[i] as Key;
    if (a.Put) table.set(id(key), { ...a.Put.Item });
    else if (a.Update) {
      const item = table.get(id(key)) ?? { ...key };
      update(item, a.Update);
      table.set(id(key), item);
    }
    writes.set(id(key), (writes.get(id(key)) ?? 0) + 1);
  }
}

const tokens = new Set<string>();
let cacheToken = false;
/** One SDK call: up to 3 attempts, of which only socket failures are retried here. */
async function sendTransaction(input: { TransactItems: Action[]; ClientRequestToken?: string }, attempt = 1) {
  // The SDK fills in a token when the caller gives none, and re-sends the same one.
  const token = input.ClientRequestToken ?? `auto-${random()}`;
  if (tokens.has(token)) {
    injected.tokenAnswers++;
    return {};
  }
  if (random() < faults.throttle) {
    injected.throttle++;
    // As after the SDK's own attempts: it gives up and throws.
    throw named("ThrottlingException", "Rate of requests exceeds the allowed throughput.");
  }
  if (random() < faults.conflict) {
    injected.conflict++;
    throw cancelled(input.TransactItems.map((_, i) => ({ Code: i === 0 ? "TransactionConflict" : "None" })));
  }
  await Promise.resolve();
  runTransaction(input.TransactItems);
  // Every other time the retry is answered from the token cache, else it runs again.
  cacheToken = !cacheToken;
  if (cacheToken) tokens.add(token);
  if (random() < faults.ambiguous) {
    injected.ambiguous++;
    if (attempt >= 3) throw Object.assign(named("Error", "socket hang up"), { code: "ECONNRESET" });
    return sendTransaction({ ...input, ClientRequestToken: token }, attempt + 1);
  }
  return {};
}

beforeEach(() => {
  table.clear();
  writes.clear();
  tokens.clear();
  Object.assign(faults, { conflict: 0, throttle: 0, ambiguous: 0 });
  Object.assign(injected, { conflict: 0, throttle: 0, ambiguous: 0, tokenAnswers: 0 });
  seed = 7;
  fake.send = async (command: unknown) => {
    const name = (command as object).constructor.name;
    const input = (command as { input: Record<string, unknown> }).input;
    if (name === "TransactWriteCommand") return sendTransaction(input as never);
    if (name === "GetCommand") return { Item: table.get(id(input.Key as Key)) };
    if (name === "PutCommand") {
      const item = input.Item as Item;
      table.set(id(item as Key), item);
      return {};
    }
    if (name === "QueryCommand") return { Items: [] };
    // The projector's position.
    if (name === "UpdateCommand") return {};
    throw new Error(`the fake table does not know ${name}`);
  };
});
afterEach(() => vi.useRealTimers());

/** Stream records of appointments (booked, then some cancelled) and contracts, and their true counts. */
function burst(n: number, centres = ["c_a", "c_b"], teams = 3) {
  const records: { eventId: string; eventName: "INSERT" | "MODIFY"; old?: Item; next: Item; at: string }[] =
    [];
  const expected = new Map<string, number>();
  const count = (key: string) => expected.set(key, (expected.get(key) ?? 0) + 1);
  const at = "2026-03-15T04:00:00.000Z";
  for (let i = 0; i < n; i++) {
    const centreId = centres[i % centres.length] as string;
    const teamId = `${centreId}_t${i % teams}`;
    const kind = i % 5;
    if (kind === 4) {
      const next = {
        type: "Contract",
        contractId: `k${i}`,
        centreId,
        teamId,
        status: "active",
        packages: [{ items: [{ type: "consultation", timesPerYear: 4 }] }],
      };
      records.push({ eventId: `e${i}`, eventName: "INSERT", next, at });
      for (const scope of ["CENTRE", `TEAM#${teamId}`]) {
        count(`${centreId}|${scope}|contractsNew`);
        // The month's net movement of the month-end figures, alongside the running ones
        count(`${centreId}|${scope}|net_activePersons`);
        const ent = `${centreId}|${scope}|net_ent_consultation`;
        expected.set(ent, (expected.get(ent) ?? 0) + 4);
      }
      count(`running|${teamId}|activePersons`);
      expected.set(
        `running|${teamId}|ent_consultation`,
        (expected.get(`running|${teamId}|ent_consultation`) ?? 0) + 4,
      );
      continue;
    }
    const booked = {
      type: "Appointment",
      appointmentId: `a${i}`,
      centreId,
      teamId,
      residentId: `r${i}`,
      date: "2026-03-20",
      status: "booked",
    };
    records.push({ eventId: `e${i}`, eventName: "INSERT", next: booked, at });
    for (const scope of ["CENTRE", `TEAM#${teamId}`]) count(`${centreId}|${scope}|appointmentsBooked`);
    if (kind === 1) {
      records.push({
        eventId: `e${i}c`,
        eventName: "MODIFY",
        old: booked,
        next: { ...booked, status: "cancelled" },
        at,
      });
      for (const scope of ["CENTRE", `TEAM#${teamId}`]) count(`${centreId}|${scope}|appointmentsCancelled`);
    }
  }
  return { records, expected };
}

/** The counters as the table holds them, in the shape of `expected`. */
function actual() {
  const out = new Map<string, number>();
  for (const item of table.values()) {
    const pk = String(item.pk);
    const fields = Object.entries(item).filter(([f, v]) => typeof v === "number" && f !== "expiresAt");
    if (item.type === "ReportCounter" && pk.endsWith("#2026-03")) {
      const centreId = pk.split("#")[1];
      for (const [f, v] of fields) out.set(`${centreId}|${item.sk}|${f}`, v as number);
    }
    if (item.type === "TeamRunning")
      for (const [f, v] of fields) out.set(`running|${item.teamId}|${f}`, v as number);
  }
  return out;
}
const markers = () => [...table.values()].filter((i) => i.type === "StreamMarker").length;
const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b));

/** Lambda's stream source for one shard: batches of 100 in order, retrying from the first failure. */
async function shard(records: ReturnType<typeof burst>["records"], redeliver = 0) {
  let retries = 0;
  for (let start = 0; start < records.length; ) {
    const batch = records.slice(start, start + 100);
    const outcome = await projectBatch(batch);
    if (outcome.failedFrom !== null) {
      start += outcome.failedFrom;
      retries++;
      continue;
    }
    // A batch delivered again whole (a retried invocation), or partly overlapping the next one.
    if (random() < redeliver) await projectBatch(batch);
    if (random() < redeliver) await projectBatch(records.slice(start + 50, start + 150));
    start += batch.length;
  }
  return retries;
}

describe("projectBatch", () => {
  it("writes each hot counter item once per transaction of up to 50 records", async () => {
    // Prepare: 100 records of one centre and one team (every record moves the same items)
    const { records, expected } = burst(83, ["c_a"], 1);
    expect(records.length).toBe(100);

    // Act
    const outcome = await projectBatch(records);

    // Assess
    expect(outcome.failedFrom).toBeNull();
    // 2 × (50 markers + the centre, team and running items)
    expect(outcome.counters).toMatchObject({
      applied: 100,
      duplicates: 0,
      transactions: 2,
      items: 106,
      attempts: 2,
    });
    expect(writes.get(id({ pk: "STATS#c_a#2026-03", sk: "CENTRE" }))).toBe(2);
    expect(writes.get(id({ pk: "STATS#c_a#2026-03", sk: "TEAM#c_a_t0" }))).toBe(2);
    expect(writes.get(id({ pk: "STATS#TEAM#c_a_t0", sk: "RUNNING" }))).toBe(2);
    expect(sorted(actual())).toEqual(sorted(expected));
    expect(markers()).toBe(100);
  });

  it("counts nothing twice when a batch is delivered again, whole or in part", async () => {
    const { records, expected } = burst(170);
    const first = await projectBatch(records.slice(0, 100));
    const again = await projectBatch(records.slice(0, 100));
    const overlapping = await projectBatch(records.slice(60));

    expect(first.counters.applied).toBe(100);
    expect(again.counters).toMatchObject({ applied: 0, duplicates: 100, transactions: 0 });
    expect(overlapping.counters.duplicates).toBe(40);
    expect(overlapping.counters.applied).toBe(records.length - 100);
    expect(sorted(actual())).toEqual(sorted(expected));
  });

  it("keeps every count exact across parallel shards with conflicts, throttling and lost answers", async () => {
    // Prepare: 4 shards of ~300 records each, all moving the same centre-month items
    Object.assign(faults, { conflict: 0.3, throttle: 0.1, ambiguous: 0.3 });
    const { records, expected } = burst(1_000);
    const shards = [0, 1, 2, 3].map((s) => records.filter((_, i) => i % 4 === s));
    const before = { ...transactStats };

    // Act: each shard in order, shards at once, with redeliveries
    const retried = await Promise.all(shards.map((s) => shard(s, 0.2)));

    // Assess
    expect(sorted(actual())).toEqual(sorted(expected));
    expect(markers()).toBe(records.length);
    expect(injected.conflict).toBeGreaterThan(3);
    expect(injected.ambiguous).toBeGreaterThan(3);
    expect(injected.tokenAnswers).toBeGreaterThan(0);
    expect(transactStats.conflicts - before.conflicts).toBe(injected.conflict);
    // Lost answers past the SDK's attempts fail the batch; the stream retries it.
    expect(retried.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(0);
  });

  it("isolates a malformed record: the records before it count, it and the later ones are retried", async () => {
    const { records } = burst(12, ["c_a"], 1);
    const poison = 7;
    (records[poison] as { next: Item }).next.teamId = "x".repeat(2_000);

    const outcome = await projectBatch(records);

    expect(outcome.failedFrom).toBe(poison);
    expect(markers()).toBe(poison);
    const centre = table.get(id({ pk: "STATS#c_a#2026-03", sk: "CENTRE" }));
    const booked = records
      .slice(0, poison)
      .filter((r) => r.eventName === "INSERT" && r.next.type === "Appointment");
    expect(centre?.appointmentsBooked).toBe(booked.length);
  });
});

describe("the stream worker", () => {
  const event = (records: ReturnType<typeof burst>["records"]) =>
    ({
      Records: records.map((r, i) => ({
        eventID: r.eventId,
        eventName: r.eventName,
        eventSource: "aws:dynamodb",
        dynamodb: {
          ApproximateCreationDateTime: Date.parse(r.at) / 1000,
          SequenceNumber: String(1000 + i),
          NewImage: marshall(r.next),
          ...(r.old ? { OldImage: marshall(r.old) } : {}),
        },
      })),
    }) as unknown as DynamoDBStreamEvent;
  const context = (remainingMs: number) =>
    ({ getRemainingTimeInMillis: () => remainingMs, functionName: "statsProjector" }) as unknown as Context;

  it("reports the first failed record's SequenceNumber and every later one", async () => {
    const { records, expected } = burst(40, ["c_a"], 2);
    const good = records.map((r) => structuredClone(r));
    (records[30] as { next: Item }).next.teamId = "x".repeat(2_000);

    const broken = await handler(event(records), context(60_000));
    const retried = await handler(event(good.slice(30)), context(60_000));

    expect(broken?.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      records.slice(30).map((_, i) => String(1030 + i)),
    );
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(sorted(actual())).toEqual(sorted(expected));
  });

  it("stops retrying before the function's time is up and leaves the batch to the retry", async () => {
    // Prepare: every transaction conflicts; the function has 2 s left (1 s kept for answering)
    const { records, expected } = burst(30);
    faults.conflict = 1;
    const t0 = Date.now();

    // Act
    const out = await handler(event(records), context(2_000));
    const took = Date.now() - t0;
    faults.conflict = 0;
    const retried = await handler(event(records), context(60_000));

    // Assess
    expect(out?.batchItemFailures).toHaveLength(records.length);
    expect(out?.batchItemFailures[0]?.itemIdentifier).toBe("1000");
    expect(took).toBeLessThan(1_500);
    expect(injected.conflict).toBeGreaterThan(3);
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(sorted(actual())).toEqual(sorted(expected));
  });
});

describe("transact", () => {
  const item = (n: number) => ({
    Update: {
      TableName: "jiayi-test",
      Key: { pk: "HOT", sk: "HOT" },
      UpdateExpression: "SET #type = :type ADD #a0 :a0",
      ExpressionAttributeNames: { "#type": "type", "#a0": "n" },
      ExpressionAttributeValues: { ":type": "Hot", ":a0": n },
    },
  });

  it("retries conflicts and throttling with growing, jittered waits until it succeeds", async () => {
    Object.assign(faults, { conflict: 0.3, throttle: 0.1 });
    const delays: number[] = [];
    for (let i = 0; i < 50; i++)
      expect(await transact([item(1)], undefined, { onRetry: (r) => delays.push(r.delayMs) })).toEqual({
        ok: true,
      });
    expect(table.get(id({ pk: "HOT", sk: "HOT" }))?.n).toBe(50);
    expect(delays.length).toBe(injected.conflict + injected.throttle);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1_000);
  });

  it("gives up at the deadline and throws the conflict, for the caller's retry or 503", async () => {
    faults.conflict = 1;
    const t0 = Date.now();
    const attempts: number[] = [];
    await expect(
      transact([item(1)], undefined, { deadline: t0 + 1_000, onRetry: (r) => attempts.push(r.attempt) }),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(attempts.length).toBeGreaterThan(2);
    expect(table.size).toBe(0);
  });

  it("still returns the indexes of failed conditions without retrying", async () => {
    const marker = {
      Put: {
        TableName: "jiayi-test",
        Item: { pk: "M", sk: "M" },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
    expect(await transact([marker, item(1)])).toEqual({ ok: true });
    expect(await transact([marker, item(1)])).toEqual({ ok: false, failed: [0] });
    expect(table.get(id({ pk: "HOT", sk: "HOT" }))?.n).toBe(1);
  });
});
