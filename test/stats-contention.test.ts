import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { Context, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { functionContracts } from "../functions/deployment.js";
import { localClient } from "../infra/local/dynamodb-local.js";
import { accessKeyOf } from "../infra/local/runtime.js";

/**
 * The stream projector's counters against the local twin with AWS's failures switched on: a stack
 * of its own (`tsx infra/local/start.ts --test` with JIAYI_FAULTS), where transactions conflict,
 * calls are throttled, answers to writes that took effect are lost (the SDK sends them again) and
 * eventually consistent reads are stale. Batches are delivered again, overlap and run from several
 * shards at once; the counters must still equal a recount of the facts.
 */
vi.setConfig({ testTimeout: 150_000, hookTimeout: 150_000 });

const FAULTS = "conflict=0.3,throttle=0.05,ambiguous=0.05,stale=0.3,lag=300,seed=23";
const MONTH = "2026-04";
const AT = "2026-04-10T04:00:00.000Z";

let child: ChildProcess | undefined;
let ready: { edgeUrl: string; dynamoEndpoint: string; tableName: string; faults: boolean };
let raw: DynamoDBClient;

beforeAll(async () => {
  mkdirSync(".test-output", { recursive: true });
  const log = createWriteStream(join(".test-output", "faults-stack.log"));
  child = spawn(join("node_modules", ".bin", "tsx"), ["infra/local/start.ts", "--test"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, JIAYI_FAULTS: FAULTS, POWERTOOLS_LOG_LEVEL: "INFO" },
  });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("fault-enabled stack did not start within 120 s")),
      120_000,
    );
    let buffered = "";
    child?.stdout?.on("data", (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString();
      const found = buffered.split("\n").find((l) => l.startsWith("JIAYI_READY "));
      if (found) {
        clearTimeout(timer);
        resolve(found.slice("JIAYI_READY ".length));
      }
    });
    child?.stderr?.on("data", (chunk: Buffer) => log.write(chunk));
    child?.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`fault-enabled stack exited with ${code}; see .test-output/faults-stack.log`));
    });
  });
  ready = JSON.parse(line);
  raw = localClient(ready.dynamoEndpoint);
  // This process calls as the statsProjector function itself (its grants; the faults apply to it,
  // while the operator's set-up calls see none).
  const projector = functionContracts().find((fn) => fn.name === "statsProjector");
  if (!projector) throw new Error("no statsProjector in the deployment contract");
  Object.assign(process.env, {
    STAGE: "local",
    TABLE_NAME: ready.tableName,
    AWS_ENDPOINT_URL: ready.edgeUrl,
    AWS_ACCESS_KEY_ID: accessKeyOf(projector),
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_REGION: "cn-north-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.stdin?.end();
    child.kill("SIGTERM");
    await exited;
  }
});

type Item = Record<string, unknown>;

/** Appointment and notice-delivery facts of one centre, as stream records, and their true counts. */
function facts(centreId: string, n: number) {
  const records: { eventID: string; eventName: "INSERT" | "MODIFY"; next: Item; old?: Item; fact: number }[] =
    [];
  const expected = new Map<string, number>();
  const count = (teamId: string, field: string) => {
    for (const scope of ["CENTRE", `TEAM#${teamId}`])
      expected.set(`${scope}|${field}`, (expected.get(`${scope}|${field}`) ?? 0) + 1);
  };
  for (let i = 0; i < n; i++) {
    const teamId = `${centreId}_t${i % 3}`;
    if (i % 4 === 3) {
      records.push({
        eventID: `${centreId}-m${i}`,
        eventName: "INSERT",
        fact: i,
        next: {
          type: "InboxMessage",
          noticeId: `n_${teamId}`,
          messageId: `m${i}`,
          residentId: `r${i}`,
          sentAt: AT,
        },
      });
      count(teamId, "noticesDelivered");
      continue;
    }
    const booked = {
      type: "Appointment",
      appointmentId: `${centreId}_a${i}`,
      centreId,
      teamId,
      residentId: `r${i}`,
      date: `${MONTH}-20`,
      status: "booked",
    };
    records.push({ eventID: `${centreId}-a${i}`, eventName: "INSERT", next: booked, fact: i });
    count(teamId, "appointmentsBooked");
    if (i % 4 === 1) {
      records.push({
        eventID: `${centreId}-a${i}-x`,
        eventName: "MODIFY",
        fact: i,
        old: booked,
        next: { ...booked, status: "cancelled" },
      });
      count(teamId, "appointmentsCancelled");
    }
  }
  const notices = [0, 1, 2].map((t) => ({
    pk: `NOTICE#n_${centreId}_t${t}`,
    sk: "NOTICE",
    type: "Notice",
    noticeId: `n_${centreId}_t${t}`,
    centreId,
    teamId: `${centreId}_t${t}`,
    status: "published",
    // Another month: the stream counts these notices too, not in the month under test.
    publishedAt: "2025-12-01T00:00:00.000Z",
  }));
  return { records, expected, notices };
}

/** The centre-month's counters as stored (read from DynamoDB Local itself, no faults). */
async function stored(centreId: string) {
  const out = await raw.send(
    new QueryCommand({
      TableName: ready.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: marshall({ ":pk": `STATS#${centreId}#${MONTH}` }),
    }),
  );
  const counters = new Map<string, number>();
  for (const item of (out.Items ?? []).map((i) => unmarshall(i)))
    for (const [k, v] of Object.entries(item)) if (typeof v === "number") counters.set(`${item.sk}|${k}`, v);
  return counters;
}
const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b));

async function put(items: Item[]) {
  for (let i = 0; i < items.length; i += 25)
    await raw.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [ready.tableName]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item) } })),
        },
      }),
    );
}

describe("stream projector under injected faults", () => {
  it("counts every record once across redelivered, overlapping and parallel batches", async () => {
    // Prepare: 4 shards' worth of records of one centre; the worker handler in this process
    expect(ready.faults).toBe(true);
    const centreId = `c_hot_${Date.now().toString(36)}`;
    const { records, expected, notices } = facts(centreId, 480);
    await put(notices);
    const { handler } = await import("../functions/workers/stats-projector.js");
    const { transactStats } = await import("../functions/data/transactions.js");
    const before = { ...transactStats };
    const event = (list: typeof records, from: number) =>
      ({
        Records: list.map((r, i) => ({
          eventID: r.eventID,
          eventName: r.eventName,
          eventSource: "aws:dynamodb",
          dynamodb: {
            ApproximateCreationDateTime: Date.parse(AT) / 1000,
            SequenceNumber: String(from + i),
            NewImage: marshall(r.next),
            ...(r.old ? { OldImage: marshall(r.old) } : {}),
          },
        })),
      }) as unknown as DynamoDBStreamEvent;
    const context = { getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
    // An item's records stay in one shard, in order (the cancellation after its booking).
    const shards = [0, 1, 2, 3].map((s) => records.filter((r) => Math.floor(r.fact / 3) % 4 === s));

    // Act: each shard's batches in order, retried from the first reported failure as Lambda does,
    // every batch delivered a second time and the next one overlapping it by half
    await Promise.all(
      shards.map(async (list) => {
        for (let start = 0; start < list.length; ) {
          const batch = list.slice(start, start + 40);
          const out = await handler(event(batch, start), context);
          const first = out?.batchItemFailures[0]?.itemIdentifier;
          if (first !== undefined) {
            start = Number(first);
            continue;
          }
          await handler(event(batch, start), context);
          await handler(event(list.slice(start + 20, start + 60), start + 20), context);
          start += batch.length;
        }
      }),
    );

    // Assess
    expect(sorted(await stored(centreId))).toEqual(sorted(expected));
    expect(transactStats.conflicts - before.conflicts).toBeGreaterThan(0);
  });

  it("keeps the counts exact through the stream and the deployed worker", async () => {
    // Prepare: appointments written to the table itself; the local stream source invokes the
    // statsProjector function (its own environment, grants and timeout) with the faults on
    const centreId = `c_hot_s${Date.now().toString(36)}`;
    const booked = Array.from({ length: 150 }, (_, i) => ({
      pk: `APPT#${centreId}_${i}`,
      sk: "APPT",
      type: "Appointment",
      appointmentId: `${centreId}_${i}`,
      centreId,
      teamId: `${centreId}_t${i % 2}`,
      residentId: `r${i}`,
      date: `${MONTH}-21`,
      status: "booked",
      fixture: true,
    }));

    // Act: the bookings, then a third of them cancelled
    await put(booked);
    for (const a of booked.filter((_, i) => i % 3 === 0))
      await raw.send(
        new UpdateItemCommand({
          TableName: ready.tableName,
          Key: marshall({ pk: a.pk, sk: a.sk }),
          UpdateExpression: "SET #s = :c",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: marshall({ ":c": "cancelled" }),
        }),
      );

    // Assess: bounded wait for the stream, then exactly the facts
    const expected = new Map<string, number>([
      ["CENTRE|appointmentsBooked", 150],
      ["CENTRE|appointmentsCancelled", 50],
      [`TEAM#${centreId}_t0|appointmentsBooked`, 75],
      [`TEAM#${centreId}_t0|appointmentsCancelled`, 25],
      [`TEAM#${centreId}_t1|appointmentsBooked`, 75],
      [`TEAM#${centreId}_t1|appointmentsCancelled`, 25],
    ]);
    const deadline = Date.now() + 90_000;
    let counters = await stored(centreId);
    while (
      Date.now() < deadline &&
      (counters.get("CENTRE|appointmentsBooked") !== 150 ||
        counters.get("CENTRE|appointmentsCancelled") !== 50)
    ) {
      await new Promise((r) => setTimeout(r, 250));
      counters = await stored(centreId);
    }
    // Settled: nothing arrives late to over-count.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sorted(await stored(centreId))).toEqual(sorted(expected));
  });
});
