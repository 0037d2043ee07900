/**
 * Section 1: bundle every deployed function (functionContracts(): one per capability, whose entry
 * dispatches on the route key, and one per worker) with the CDK construct's esbuild settings, then time a
 * fresh Node 22 process importing each bundle and running one invocation, against a baseline bundle
 * that imports only the DynamoDB client and document client. Runs are interleaved (every function
 * once per round, the baseline at the start and middle of each round) so machine noise hits all alike.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build, type Metafile } from "esbuild";
import {
  type DeploymentResources,
  environmentOf,
  type FunctionContract,
  MEMORY_MB,
} from "../functions/deployment.js";
import type { RouteDef } from "../functions/lib/route.js";
import { median, pool, ROOT } from "./util.js";

/**
 * MIRRORED from infra/constructs/api-function.ts (`bundling` of ApiFunction) and from what
 * NodejsFunction turns it into (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js: `--bundle
 * --platform=node`, output `index.mjs` for ESM). The construct passes these inside its constructor,
 * so they cannot be imported; keep the two in step.
 */
export const CDK_ESBUILD = {
  bundle: true,
  platform: "node" as const,
  format: "esm" as const,
  target: "node22",
  mainFields: ["module", "main"],
  banner: {
    js: 'import { createRequire as topLevelCreateRequire } from "node:module"; const require = topLevelCreateRequire(import.meta.url);',
  },
  minify: true,
  sourcemap: true,
  external: ["@aws-sdk/*"],
  logLevel: "error" as const,
};

/** Where the bench's deployment is: prod settings, the local table, addresses that answer nothing. */
const benchResources = (tableName: string): DeploymentResources => ({
  stage: "prod",
  tableName,
  appSecretArn: "arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:jiayi/prod/app-secret",
  noticeQueueUrl: "http://127.0.0.1:9/000000000000/jiayi-prod-notice",
  remindersQueueUrl: "http://127.0.0.1:9/000000000000/jiayi-prod-reminders",
  wechat: {
    appId: "wx-bench",
    apiBase: "http://127.0.0.1:9",
    secretParameter: "/jiayi/prod/wechat/app-secret",
    templates: { notice: "tmpl-health-notice", appointment: "tmpl-appointment-reminder" },
  },
  logLevel: "INFO",
});

/**
 * Exactly the environment the deployed function gets (environmentOf, the declaration the stack
 * uses), plus what Lambda's runtime adds and the local DynamoDB endpoint.
 */
const lambdaEnv = (fn: FunctionContract, dynamoEndpoint: string, tableName: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...environmentOf(fn, benchResources(tableName)),
  // The SDK's own per-service endpoint variable; DYNAMODB_ENDPOINT for code that still reads it.
  AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  DYNAMODB_ENDPOINT: dynamoEndpoint,
  AWS_REGION: "cn-north-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_LAMBDA_FUNCTION_NAME: `jiayi-prod-${fn.name}`,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_MB),
  AWS_LAMBDA_FUNCTION_TIMEOUT: String(fn.timeoutSeconds),
});

interface Fn {
  name: string;
  kind: "api" | "worker" | "baseline";
  entry: string;
  /** The deployment contract it runs under (none for the baseline). */
  contract?: FunctionContract;
  event: unknown;
  /** What the one invocation does. */
  invocation: string;
}

function apiEvent(route: RouteDef) {
  const path = route.path.replace(/\{(\w+)\}/g, "x_bench");
  const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], "x_bench"]));
  const now = new Date();
  return {
    version: "2.0",
    routeKey: `${route.method} ${route.path}`,
    rawPath: path,
    rawQueryString: "",
    headers: { "content-type": "application/json", host: "bench.local" },
    pathParameters: Object.keys(params).length ? params : undefined,
    requestContext: {
      accountId: "000000000000",
      apiId: "bench",
      domainName: "bench.local",
      domainPrefix: "bench",
      http: { method: route.method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
      requestId: "bench-request",
      routeKey: `${route.method} ${route.path}`,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    // Public routes with a body get an invalid one (400 before any I/O); the others have no token (401).
    body: route.body ? "{}" : undefined,
    isBase64Encoded: false,
  };
}

function workerEvent(worker: FunctionContract) {
  if ("stream" in worker.trigger) return { Records: [] };
  if ("queue" in worker.trigger) return { Records: [] };
  return {
    version: "0",
    id: "bench",
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "000000000000",
    time: new Date().toISOString(),
    region: "cn-north-1",
    resources: [],
    detail: {},
  };
}

/** The baseline runs under the runtime's variables only (as an SDK-only function would). */
const baselineEnv = (dynamoEndpoint: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  AWS_REGION: "cn-north-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  AWS_LAMBDA_FUNCTION_NAME: "jiayi-bench-baseline",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_MB),
});

const BASELINE_SOURCE = `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));
export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ ok: typeof client.send === "function" }) });
`;

const RUNNER = `import { pathToFileURL } from "node:url";
const [bundle, eventJson, name] = process.argv.slice(2);
const t0 = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
const context = { functionName: name, functionVersion: "$LATEST", awsRequestId: "bench", memoryLimitInMB: "512",
  invokedFunctionArn: "arn:aws:lambda:cn-north-1:000000000000:function:" + name, logGroupName: "/aws/lambda/" + name,
  logStreamName: "bench", callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => 10000 };
let status = "error";
try { const res = await mod.handler(JSON.parse(eventJson), context); status = String(res?.statusCode ?? (res === undefined ? "undefined" : "ok")); }
catch (e) { status = "threw:" + (e && e.name); }
const t2 = performance.now();
process.stdout.write("\\nCOLD_RESULT " + JSON.stringify({ bootMs: t0, importMs: t1 - t0, invokeMs: t2 - t1, totalMs: t2 - t0, status }) + "\\n");
process.exit(0);
`;

export interface ColdStartRow {
  name: string;
  kind: Fn["kind"];
  invocation: string;
  bundleBytes: number;
  mapBytes: number;
  /** Minified bytes by contributor (npm package or "own: functions/", "own: shared/"). */
  contributors: { name: string; bytes: number }[];
  runs: number;
  medianImportInvokeMs: number;
  medianProcessMs: number;
  ratio: number;
  processRatio: number;
  /** With NODE_OPTIONS=--enable-source-maps (deployed so only with -c sourceMaps=true). */
  ratioWithMaps: number;
  status: string;
  ok: boolean;
}

export interface ColdStartResult {
  node: string;
  runs: number;
  baseline: ColdStartRow;
  functions: ColdStartRow[];
  buildMs: number;
  /** Minified bytes across all functions' bundles by package (each counted once per bundle it is in). */
  topContributors: { name: string; bytes: number; inBundles: number }[];
  note: string;
}

const packageOf = (input: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m?.[1]) return m[1];
  if (input.startsWith("functions/")) return "own: functions/";
  if (input.startsWith("shared/")) return "own: shared/";
  if (input.startsWith("<")) return "esbuild runtime";
  return `own: ${input.split("/")[0]}`;
};

export async function coldStart(options: {
  /** The deployed functions (functionContracts()): one per capability and one per worker. */
  functions: readonly FunctionContract[];
  node: string;
  dynamoEndpoint: string;
  tableName: string;
  runs: number;
  deadline: number;
  log: (s: string) => void;
}): Promise<ColdStartResult> {
  const outDir = join(ROOT, "node_modules", ".cache", "jiayi-bench", "bundles");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const fns: Fn[] = [];
  // One bundle per deployed function: a capability's dispatcher with all its routes, or a worker.
  for (const fn of options.functions) {
    const entry = join(ROOT, "functions", `${fn.entry}.ts`);
    if ("api" in fn.trigger) {
      // The dispatcher answers the route key API Gateway names; the first deployed route stands in.
      const route = fn.routes.find((r) => !r.localOnly);
      if (!route) continue;
      fns.push({
        name: fn.name,
        kind: "api",
        entry,
        contract: fn,
        event: apiEvent(route),
        invocation:
          route.auth === "public"
            ? route.body
              ? `${route.operationId}: invalid body → 400`
              : `${route.operationId}: real call`
            : `${route.operationId}: no token → 401`,
      });
    } else {
      fns.push({
        name: fn.name,
        kind: "worker",
        entry,
        contract: fn,
        event: workerEvent(fn),
        invocation:
          "schedule" in fn.trigger
            ? `${fn.name}: scheduled run against DynamoDB Local`
            : `${fn.name}: empty batch`,
      });
    }
  }
  const baselineEntry = join(outDir, "..", "baseline-entry.mjs");
  writeFileSync(baselineEntry, BASELINE_SOURCE);
  const baseline: Fn = {
    name: "baseline (client-dynamodb + lib-dynamodb)",
    kind: "baseline",
    entry: baselineEntry,
    event: {},
    invocation: "construct clients, return 200",
  };
  const runner = join(outDir, "..", "runner.mjs");
  writeFileSync(runner, RUNNER);

  // One esbuild call per function, as NodejsFunction does (no code splitting between functions).
  const started = Date.now();
  const built = new Map<Fn, { file: string; meta: Metafile }>();
  const buildErrors = new Map<Fn, string>();
  const all = [baseline, ...fns];
  // All entry points in one esbuild call (no code splitting, so each output is the same standalone
  // bundle a NodejsFunction builds on its own); if any source fails to build, fall back to one call
  // per function so the others are still measured.
  try {
    const result = await build({
      ...CDK_ESBUILD,
      entryPoints: Object.fromEntries(all.map((fn, i) => [`${String(i).padStart(3, "0")}/index`, fn.entry])),
      outdir: outDir,
      outExtension: { ".js": ".mjs" },
      absWorkingDir: ROOT,
      metafile: true,
      logLevel: "silent",
    });
    all.forEach((fn, i) => {
      const file = join(outDir, String(i).padStart(3, "0"), "index.mjs");
      const key = relative(ROOT, file);
      const output = result.metafile.outputs[key];
      if (output) built.set(fn, { file, meta: { inputs: {}, outputs: { [key]: output } } });
    });
  } catch {
    options.log("  one build of all functions failed; building them one by one");
  }
  await pool(
    all.filter((fn) => !built.has(fn)),
    4,
    async (fn) => {
      const i = all.indexOf(fn);
      const dir = join(outDir, String(i).padStart(3, "0"));
      const file = join(dir, "index.mjs");
      try {
        const result = await build({
          ...CDK_ESBUILD,
          entryPoints: [fn.entry],
          outfile: file,
          absWorkingDir: ROOT,
          metafile: true,
          logLevel: "silent",
        });
        built.set(fn, { file, meta: result.metafile });
      } catch (error) {
        const first = (error as { errors?: { text: string; location?: { file: string; line: number } }[] })
          .errors?.[0];
        buildErrors.set(
          fn,
          first
            ? `${first.location?.file}:${first.location?.line}: ${first.text}`
            : String(error).slice(0, 200),
        );
      }
    },
  );
  if (!built.has(baseline)) throw new Error(`baseline bundle failed: ${buildErrors.get(baseline)}`);
  const buildMs = Date.now() - started;
  options.log(`  built ${all.length} bundles in ${(buildMs / 1000).toFixed(1)} s`);

  const times = new Map<Fn, { inner: number[]; proc: number[]; status: string }>();
  const withMaps = new Map<Fn, { inner: number[]; proc: number[]; status: string }>();
  for (const fn of all) {
    times.set(fn, { inner: [], proc: [], status: "" });
    withMaps.set(fn, { inner: [], proc: [], status: "" });
  }
  const runOnce = (fn: Fn, maps = false) => {
    const b = built.get(fn);
    if (!b) return;
    const env = fn.contract
      ? lambdaEnv(fn.contract, options.dynamoEndpoint, options.tableName)
      : baselineEnv(options.dynamoEndpoint);
    // As deployed by default (functions/deployment.ts), or with -c sourceMaps=true.
    if (maps) env.NODE_OPTIONS = "--enable-source-maps";
    const t0 = performance.now();
    const out = spawnSync(options.node, [runner, b.file, JSON.stringify(fn.event), fn.name], {
      env,
      encoding: "utf8",
      timeout: 20_000,
    });
    const proc = performance.now() - t0;
    const line = (out.stdout ?? "").split("\n").find((l) => l.startsWith("COLD_RESULT "));
    const rec = (maps ? withMaps : times).get(fn);
    if (!rec) return;
    if (!line) {
      rec.status = `no result (exit ${out.status}): ${(out.stderr ?? "").slice(0, 200)}`;
      return;
    }
    const r = JSON.parse(line.slice("COLD_RESULT ".length)) as { totalMs: number; status: string };
    rec.inner.push(r.totalMs);
    rec.proc.push(proc);
    rec.status = r.status;
  };
  // One warm-up pass of the baseline (file-system cache), not counted.
  runOnce(baseline);
  times.set(baseline, { inner: [], proc: [], status: "" });
  let rounds = 0;
  for (; rounds < options.runs; rounds++) {
    if (Date.now() > options.deadline) {
      options.log(`  cold start: time limit reached after ${rounds} rounds`);
      break;
    }
    runOnce(baseline);
    runOnce(baseline, true);
    fns.forEach((fn, i) => {
      runOnce(fn);
      runOnce(fn, true);
      if (i === Math.floor(fns.length / 2)) runOnce(baseline);
    });
    options.log(`  cold start round ${rounds + 1}/${options.runs} done`);
  }

  const baseTimes = times.get(baseline);
  const baseInner = median(baseTimes?.inner ?? []);
  const baseInnerWithMaps = median(withMaps.get(baseline)?.inner ?? []);
  const baseProc = median(baseTimes?.proc ?? []);
  const totals = new Map<string, { bytes: number; inBundles: number }>();
  const rowOf = (fn: Fn): ColdStartRow => {
    const b = built.get(fn);
    const t = times.get(fn);
    const out = b ? Object.values(b.meta.outputs).find((o) => o.entryPoint !== undefined) : undefined;
    const byPkg = new Map<string, number>();
    for (const [input, info] of Object.entries(out?.inputs ?? {})) {
      const key = packageOf(relative(ROOT, join(ROOT, input)));
      byPkg.set(key, (byPkg.get(key) ?? 0) + info.bytesInOutput);
    }
    if (fn.kind !== "baseline") {
      for (const [k, v] of byPkg) {
        const cur = totals.get(k) ?? { bytes: 0, inBundles: 0 };
        totals.set(k, { bytes: cur.bytes + v, inBundles: cur.inBundles + 1 });
      }
    }
    const file = b?.file ?? "";
    const inner = median(t?.inner ?? []);
    const proc = median(t?.proc ?? []);
    const status = buildErrors.has(fn) ? `build failed: ${buildErrors.get(fn)}` : (t?.status ?? "");
    return {
      name: fn.name,
      kind: fn.kind,
      invocation: fn.invocation,
      bundleBytes: existsSync(file) ? statSync(file).size : 0,
      mapBytes: existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0,
      contributors: [...byPkg]
        .map(([name, bytes]) => ({ name, bytes }))
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 8),
      runs: t?.inner.length ?? 0,
      medianImportInvokeMs: inner,
      medianProcessMs: proc,
      ratio: inner / baseInner,
      processRatio: proc / baseProc,
      ratioWithMaps: median(withMaps.get(fn)?.inner ?? []) / baseInnerWithMaps,
      status,
      ok: /^(\d{3}|ok|undefined)$/.test(status) && !status.startsWith("5"),
    };
  };
  const functions = fns.map(rowOf);
  return {
    node: options.node,
    runs: rounds,
    baseline: rowOf(baseline),
    functions,
    buildMs,
    topContributors: [...totals]
      .map(([name, v]) => ({ name, bytes: Math.round(v.bytes / v.inBundles), inBundles: v.inBundles }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 12),
    note:
      "esbuild options mirrored from infra/constructs/api-function.ts (ESM, node22, minify, sourcemap, mainFields module/main, @aws-sdk/* external, createRequire banner). " +
      "One bundle per deployed function (one per capability, dispatching on the route key, plus one per worker, from functions/deployment.ts); an API function is invoked with the key of its first deployed route. " +
      "Each run: fresh `node` 22 process with exactly the function's deployed environment (environmentOf, prod: no NODE_OPTIONS), and again with NODE_OPTIONS=--enable-source-maps, import + one invocation timed inside the process (ratio), and the whole process wall time (processRatio). " +
      "@aws-sdk/* resolves to the repo's node_modules (the Lambda runtime supplies its own copy).",
  };
}
