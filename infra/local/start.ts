/**
 * `npm start`: DynamoDB Local (data kept in .data/), the fake WeChat server, the API behind the
 * local gateway and the H5 app on one origin, plus demo data. With `--test` (used by the test
 * suite): in-memory database, random ports, and a ready line on stdout for the test runner.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureTable, startDynamoDbLocal } from "./dynamodb-local.js";
import { startFakeSqs } from "./fake-sqs.js";
import { startFakeWechat } from "./fake-wechat.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const testMode = process.argv.includes("--test");
const dataDir = join(root, ".data");
const h5Dir = join(root, "miniprogram", "dist", "h5");

function appSecret(): string {
  if (testMode) return randomBytes(32).toString("base64");
  const file = join(dataDir, "app-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function main() {
  const started = Date.now();
  if (!testMode) mkdirSync(join(dataDir, "dynamodb"), { recursive: true });
  const ddb = await startDynamoDbLocal(testMode ? {} : { dataDir: join(dataDir, "dynamodb") });
  // Whatever fails from here on, the Java process must not outlive us.
  process.once("exit", () => void ddb.stop());
  const wechat = await startFakeWechat({ port: testMode ? 0 : Number(process.env.WECHAT_PORT ?? 0) });
  const sqs = await startFakeSqs();
  const tableName = "jiayi-local";
  await ensureTable(ddb.endpoint, tableName);

  Object.assign(process.env, {
    STAGE: "local",
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: ddb.endpoint,
    APP_SECRET: appSecret(),
    WECHAT_API_BASE: wechat.url,
    WECHAT_APPID: wechat.appId,
    WECHAT_SECRET: wechat.appSecret,
    NOTICE_QUEUE_URL: sqs.queueUrl("jiayi-notices"),
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "local",
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
    VALIDATE_RESPONSES: "true",
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? (testMode ? "INFO" : "WARN"),
    AWS_REGION: "cn-north-1",
  });

  // Handler modules read the environment when first imported, so they load only now.
  const { functionContracts } = await import("../../functions/deployment.js");
  const { workers } = await import("../../functions/workers.js");
  const { startGateway, runScheduledWorker, lambdaContext } = await import("./gateway.js");
  const { seedDemoData } = await import("./seed.js");
  await seedDemoData();

  if (!testMode && !existsSync(join(h5Dir, "index.html"))) {
    console.log("[jiayi] building the H5 app (first start only, about 20 s)…");
    execFileSync("npm", ["run", "build:h5", "--silent"], { cwd: root, stdio: "inherit" });
  }
  const gateway = await startGateway({
    functions: functionContracts().filter((fn) => "api" in fn.trigger),
    functionsDir: join(root, "functions"),
    port: testMode ? 0 : Number(process.env.PORT ?? 3000),
    staticDir: h5Dir,
    workers,
  });
  const functionsDir = join(root, "functions");
  // Queue workers consume the SQS stand-in in-process, with the event shape Lambda delivers.
  for (const worker of workers) {
    if ("queue" in worker.trigger) {
      const queueName = `jiayi-${worker.trigger.queue}`;
      const { handler } = (await import(join(functionsDir, `${worker.handler}.ts`))) as {
        handler: (
          event: unknown,
          context: unknown,
        ) => Promise<import("aws-lambda").SQSBatchResponse | undefined>;
      };
      sqs.consume(queueName, (event) => handler(event, lambdaContext(worker.handler, randomUUID(), 60_000)));
    }
  }
  // Stream workers (report counters, survey invitations) read the table's stream as Lambda would.
  const { startStreamPoller } = await import("./stream-poller.js");
  const streams = await startStreamPoller({ endpoint: ddb.endpoint, tableName, functionsDir, workers });
  // Scheduled work runs in-process: once at start, then hourly (each run is idempotent).
  const runSchedules = () => {
    for (const worker of workers) {
      if ("schedule" in worker.trigger) {
        runScheduledWorker(functionsDir, worker).catch((e: unknown) =>
          console.error(`[jiayi] ${worker.name} failed: ${e instanceof Error ? e.message : String(e)}`),
        );
      }
    }
  };
  if (!testMode) {
    runSchedules();
    setInterval(runSchedules, 60 * 60 * 1000).unref();
  }

  const shutdown = async () => {
    await streams.stop();
    await gateway.close();
    await wechat.stop();
    await sqs.stop();
    await ddb.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  if (testMode) {
    process.stdin.on("end", shutdown);
    process.stdin.resume();
    console.log(
      `JIAYI_READY ${JSON.stringify({ url: gateway.url, wechatUrl: wechat.url, sqsUrl: sqs.url, dynamoEndpoint: ddb.endpoint, tableName })}`,
    );
    return;
  }
  console.log(`
家医 Jiayi is running (${((Date.now() - started) / 1000).toFixed(1)} s)
  App and API:  ${gateway.url}/        (API under ${gateway.url}/v1, OpenAPI at ${gateway.url}/v1/openapi.json)
  Fake WeChat:  ${wechat.url}
  DynamoDB:     ${ddb.endpoint} (data in .data/dynamodb)
  Demo logins:  demo-manager, demo-doctor-1, demo-doctor-2, demo-doctor-3, demo-nurse-1
Press Ctrl+C to stop.`);
}

main().catch((error: unknown) => {
  console.error(`[jiayi] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
