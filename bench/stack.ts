/**
 * The local stack, in this process: DynamoDB Local (in memory), the fake WeChat server, the local
 * SQS stand-in and the local runtime (each function in its own environments, behind the local AWS
 * endpoint, with the fault switch read from JIAYI_FAULTS) — what `tsx infra/local/start.ts --test`
 * starts, minus the H5 app. The AWS endpoint meters every DynamoDB call the functions make
 * (ConsumedCapacity); this process mints session tokens for seeded residents as an operator.
 */

import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { STAGE_THROTTLE } from "../functions/domain/throttling.js";
import { ensureTable, localClient, startDynamoDbLocal } from "../infra/local/dynamodb-local.js";
import { startFakeSqs } from "../infra/local/fake-sqs.js";
import { startFakeWechat } from "../infra/local/fake-wechat.js";
import { Faults, parseFaults } from "../infra/local/faults.js";
import { startGateway } from "../infra/local/gateway.js";
import { type LocalRuntime, startLocalRuntime } from "../infra/local/runtime.js";
import { ROOT } from "./util.js";

const READ_COMMANDS = new Set(["GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"]);
const WRITE_COMMANDS = new Set([
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
]);

/** Sums the capacity DynamoDB reports for every call made through the app's client, while on. */
export class CapacityMeter {
  on = false;
  read = 0;
  write = 0;
  calls = 0;
  byCommand = new Map<string, { calls: number; units: number }>();
  reset() {
    this.read = 0;
    this.write = 0;
    this.calls = 0;
    this.byCommand.clear();
  }
  snapshot() {
    return { read: this.read, write: this.write, calls: this.calls };
  }
  /** The AWS endpoint's hook: whether to ask DynamoDB for ConsumedCapacity, and what it said. */
  readonly observer = {
    wants: (operation: string) => this.on && (READ_COMMANDS.has(operation) || WRITE_COMMANDS.has(operation)),
    // Failed conditional writes still consume capacity, but DynamoDB's error carries no
    // ConsumedCapacity (TransactionCanceled does not report it either): those count as calls only.
    record: (operation: string, consumed: unknown) => this.add(operation, consumed),
  };
  private add(command: string, consumed: unknown) {
    const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
      CapacityUnits?: number;
      ReadCapacityUnits?: number;
      WriteCapacityUnits?: number;
    }[];
    let units = 0;
    for (const c of list) {
      const r = c.ReadCapacityUnits ?? (READ_COMMANDS.has(command) ? (c.CapacityUnits ?? 0) : 0);
      const w = c.WriteCapacityUnits ?? (WRITE_COMMANDS.has(command) ? (c.CapacityUnits ?? 0) : 0);
      this.read += r;
      this.write += w;
      units += r + w;
    }
    this.calls++;
    const cur = this.byCommand.get(command) ?? { calls: 0, units: 0 };
    this.byCommand.set(command, { calls: cur.calls + 1, units: cur.units + units });
  }
}

export interface BenchStack {
  url: string;
  wechatUrl: string;
  sqsUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  raw: DynamoDBClient;
  meter: CapacityMeter;
  runtime: LocalRuntime;
  faults: Faults;
  queueStats(): Promise<{ waiting: number; inFlight: number; delivered: number; dlq: number }>;
  stop(): Promise<void>;
}

const stderrWrite = process.stderr.write.bind(process.stderr);
/** The terminal's stderr, kept before handler output is redirected to LOG_FILE. */
export const progress = (line: string) => stderrWrite(line);

export const LOG_FILE = join(ROOT, "node_modules", ".cache", "jiayi-bench", "api.log");

export async function startBenchStack(): Promise<BenchStack> {
  // Handler logs (Powertools, INFO as deployed) go to a file, not the terminal.
  mkdirSync(join(ROOT, "node_modules", ".cache", "jiayi-bench"), { recursive: true });
  const logFile = createWriteStream(LOG_FILE);
  const toFile = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    return logFile.write(chunk, cb);
  }) as typeof process.stdout.write;
  // Handlers log errors (console.error) and the SDK warns on stderr: those go to the file too; the
  // bench's own progress lines use `progress`.
  process.stdout.write = toFile;
  process.stderr.write = toFile;

  const ddb = await startDynamoDbLocal({});
  process.once("exit", () => void ddb.stop());
  const wechat = await startFakeWechat({ port: 0 });
  const faults = new Faults(parseFaults(process.env.JIAYI_FAULTS));
  const sqs = await startFakeSqs({ faults });
  const tableName = "jiayi-bench";
  await ensureTable(ddb.endpoint, tableName);
  const meter = new CapacityMeter();
  const runtime = await startLocalRuntime({
    functionsDir: join(ROOT, "functions"),
    tableName,
    dynamoEndpoint: ddb.endpoint,
    sqs,
    appSecret: randomBytes(32).toString("base64"),
    wechat,
    faults,
    logLevel: "INFO",
    observer: meter.observer,
  });
  // This process seeds and mints tokens as an operator, never as one of the functions.
  Object.assign(process.env, runtime.operatorEnvironment, { POWERTOOLS_LOG_LEVEL: "WARN" });
  // As deployed: no VALIDATE_RESPONSES (the local launcher turns it on to catch schema drift).
  delete process.env.VALIDATE_RESPONSES;

  const { seedDemoData } = await import("../infra/local/seed.js");
  await seedDemoData();
  const gateway = await startGateway({
    functions: runtime.contracts.filter((fn) => "api" in fn.trigger),
    invoke: runtime.invoke,
    runSchedule: runtime.runSchedule,
    defaultThrottle: STAGE_THROTTLE,
    port: 0,
  });
  return {
    url: gateway.url,
    wechatUrl: wechat.url,
    sqsUrl: sqs.url,
    dynamoEndpoint: ddb.endpoint,
    tableName,
    raw: localClient(ddb.endpoint),
    meter,
    runtime,
    faults,
    queueStats: async () =>
      (await (await fetch(`${sqs.url}/__fake/sqs/jiayi-notices/stats`)).json()) as {
        waiting: number;
        inFlight: number;
        delivered: number;
        dlq: number;
      },
    stop: async () => {
      await gateway.close();
      await runtime.stop();
      await wechat.stop();
      await sqs.stop();
      await ddb.stop();
      await new Promise((r) => logFile.end(r));
    },
  };
}
