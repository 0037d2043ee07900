/**
 * `npm start`: DynamoDB Local (data kept in .data/), the fake WeChat server, the API behind the
 * local gateway and the H5 app on one origin, plus demo data. With `--test` (used by the test
 * suite): in-memory database, random ports, and a ready line on stdout for the test runner.
 */

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { STAGE_THROTTLE } from "../../functions/domain/throttling.js";
import { ensureTable, startDynamoDbLocal } from "./dynamodb-local.js";
import { startFakeSqs } from "./fake-sqs.js";
import { startFakeWechat } from "./fake-wechat.js";
import { Faults, parseFaults } from "./faults.js";
import { startGateway } from "./gateway.js";
import { startLocalRuntime } from "./runtime.js";
import { startStreamPoller } from "./stream-poller.js";

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
  const faults = new Faults(parseFaults(process.env.JIAYI_FAULTS));
  const sqs = await startFakeSqs({ faults });
  const tableName = "jiayi-local";
  await ensureTable(ddb.endpoint, tableName);

  const runtime = await startLocalRuntime({
    functionsDir: join(root, "functions"),
    tableName,
    dynamoEndpoint: ddb.endpoint,
    sqs,
    appSecret: appSecret(),
    wechat,
    faults,
    logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? (testMode ? "INFO" : "WARN"),
  });
  // This process seeds and operates as an operator (all grants), never as one of the functions.
  Object.assign(process.env, runtime.operatorEnvironment, { POWERTOOLS_LOG_LEVEL: "WARN" });

  const { seedDemoData } = await import("./seed.js");
  await seedDemoData();

  if (!testMode && !existsSync(join(h5Dir, "index.html"))) {
    console.log("[jiayi] building the H5 app (first start only, about 20 s)…");
    execFileSync("npm", ["run", "build:h5", "--silent"], { cwd: root, stdio: "inherit" });
  }
  const gateway = await startGateway({
    functions: runtime.contracts.filter((fn) => "api" in fn.trigger),
    invoke: runtime.invoke,
    runSchedule: async (name, input) => {
      if (!runtime.contracts.some((fn) => fn.name === name && "schedule" in fn.trigger))
        throw new Error(`no scheduled worker ${name}`);
      return runtime.runSchedule(name, input);
    },
    defaultThrottle: STAGE_THROTTLE,
    faults,
    port: testMode ? 0 : Number(process.env.PORT ?? 3000),
    staticDir: h5Dir,
  });
  // Stream workers (report counters, survey invitations) read the table's stream as Lambda would.
  const streams = await startStreamPoller({
    endpoint: ddb.endpoint,
    tableName,
    workers: runtime.contracts.flatMap((fn) => ("stream" in fn.trigger ? [fn.name] : [])),
    invoke: runtime.invoke,
  });
  // Scheduled work runs once at start, then hourly (each run is idempotent).
  const runSchedules = () => {
    for (const fn of runtime.contracts) {
      if ("schedule" in fn.trigger) {
        runtime.runSchedule(fn.name).then((outcome) => {
          if (!outcome.ok) console.error(`[jiayi] ${fn.name} failed: ${outcome.errorMessage}`);
        });
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
    await runtime.stop();
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
      `JIAYI_READY ${JSON.stringify({ url: gateway.url, wechatUrl: wechat.url, sqsUrl: sqs.url, dynamoEndpoint: ddb.endpoint, edgeUrl: runtime.edge.url, tableName, faults: faults.enabled })}`,
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
