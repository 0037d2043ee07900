/**
 * The local stack, in this process: DynamoDB Local (in memory), the fake WeChat server, the local
 * SQS stand-in with the fan-out worker consuming it, and the local gateway running the same handler
 * modules — what `tsx infra/local/start.ts --test` starts, minus demo logins and the H5 app. Running it
 * in-process lets the bench meter every DynamoDB call the handlers make (ConsumedCapacity) and mint
 * session tokens for seeded residents without a login round trip each.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable, localClient, startDynamoDbLocal } from "../infra/local/dynamodb-local.js";
import { startFakeSqs } from "../infra/local/fake-sqs.js";
import { startFakeWechat } from "../infra/local/fake-wechat.js";
import { ROOT } from "./util.js";

const READ_COMMANDS = new Set([
  "GetItemCommand",
  "QueryCommand",
  "ScanCommand",
  "BatchGetItemCommand",
  "TransactGetItemsCommand",
]);
const WRITE_COMMANDS = new Set([
  "PutItemCommand",
  "UpdateItemCommand",
  "DeleteItemCommand",
  "BatchWriteItemCommand",
  "TransactWriteItemsCommand",
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
  attach(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? "";
        const metered = this.on && (READ_COMMANDS.has(command) || WRITE_COMMANDS.has(command));
        const input = args.input as Record<string, unknown>;
        if (metered && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = "TOTAL";
        const result = await next(args);
        if (metered) this.add(command, (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        return result;
      },
      { step: "initialize", name: "benchCapacityMeter" },
    );
    // Failed conditional writes still consume capacity, but the SDK error carries no ConsumedCapacity
    // (except TransactionCanceled, which does not report it either): those are counted as calls only.
  }
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
  const sqs = await startFakeSqs();
  const tableName = "jiayi-bench";
  await ensureTable(ddb.endpoint, tableName);
  Object.assign(process.env, {
    STAGE: "local",
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: ddb.endpoint,
    APP_SECRET: randomBytes(32).toString("base64"),
    WECHAT_API_BASE: wechat.url,
    WECHAT_APPID: wechat.appId,
    WECHAT_SECRET: wechat.appSecret,
    NOTICE_QUEUE_URL: sqs.queueUrl("jiayi-notices"),
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    POWERTOOLS_LOG_LEVEL: "INFO",
    AWS_REGION: "cn-north-1",
  });
  // As deployed: no VALIDATE_RESPONSES (the local launcher turns it on to catch schema drift).
  delete process.env.VALIDATE_RESPONSES;

  const { dynamo } = await import("../functions/lib/db.js");
  const meter = new CapacityMeter();
  meter.attach(dynamo);

  const { functionContracts } = await import("../functions/deployment.js");
  const { workers } = await import("../functions/workers.js");
  const { startGateway, lambdaContext } = await import("../infra/local/gateway.js");
  const { seedDemoData } = await import("../infra/local/seed.js");
  await seedDemoData();
  const functionsDir = join(ROOT, "functions");
  const gateway = await startGateway({
    functions: functionContracts().filter((fn) => "api" in fn.trigger),
    workers,
    functionsDir,
    port: 0,
  });
  for (const worker of workers) {
    if ("queue" in worker.trigger) {
      const { handler } = (await import(join(functionsDir, `${worker.handler}.ts`))) as {
        handler: (
          event: unknown,
          context: unknown,
        ) => Promise<import("aws-lambda").SQSBatchResponse | undefined>;
      };
      sqs.consume(`jiayi-${worker.trigger.queue}`, (event) =>
        handler(event, lambdaContext(worker.handler, randomUUID(), 60_000)),
      );
    }
  }
  return {
    url: gateway.url,
    wechatUrl: wechat.url,
    sqsUrl: sqs.url,
    dynamoEndpoint: ddb.endpoint,
    tableName,
    raw: localClient(ddb.endpoint),
    meter,
    queueStats: async () =>
      (await (await fetch(`${sqs.url}/__fake/sqs/jiayi-notices/stats`)).json()) as {
        waiting: number;
        inFlight: number;
        delivered: number;
        dlq: number;
      },
    stop: async () => {
      await gateway.close();
      await wechat.stop();
      await sqs.stop();
      await ddb.stop();
      await new Promise((r) => logFile.end(r));
    },
  };
}
