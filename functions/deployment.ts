import type { AwsUse, RouteDef } from "./lib/route.js";
import type { WorkerDef } from "./lib/worker-def.js";
import { type Capability, capabilities } from "./routes.js";
import { workers as workerTable } from "./workers.js";

/**
 * The deployment contract of every function: what it runs, how long it may run, the environment it
 * gets and the AWS calls it may make. The CDK stack turns it into functions, environment variables
 * and IAM statements; the local runtime gives each function exactly this environment, refuses
 * (AccessDenied) any call outside these grants and cuts a run off at this timeout. One declaration,
 * so a grant missing here fails locally as it would on AWS.
 */
export const API_TIMEOUT_SECONDS = 10;
/** Workers run longer than API handlers; queues derive their visibility timeout from this. */
export const WORKER_TIMEOUT_SECONDS = 60;
/** The API functions are pinged this often, under the shortest idle reclaim commonly seen (5 min). */
export const KEEP_WARM_MINUTES = 4;
export const MEMORY_MB = 512;

export type DataAccess = "none" | "read" | "readwrite";
export type Trigger = { api: Capability } | WorkerDef["trigger"];

export interface FunctionContract {
  /** Logical name: the capability (`appointments`) or the worker (`noticeFanout`). */
  name: string;
  /** Module under functions/, without extension; it exports `handler`. */
  entry: string;
  summary: string;
  trigger: Trigger;
  /** The routes it serves (API functions); the stack binds all but the local-only ones. */
  routes: readonly RouteDef[];
  timeoutSeconds: number;
  data: DataAccess;
  uses: ReadonlySet<AwsUse>;
}

const DATA_LEVEL = { none: 0, read: 1, readwrite: 2 } as const;

/** One function per capability: the union of its routes' needs. */
function apiContract(name: Capability, routes: readonly RouteDef[]): FunctionContract {
  const deployed = routes.filter((r) => !r.localOnly);
  let data: DataAccess = "none";
  const uses = new Set<AwsUse>();
  // Grants follow the deployed routes only: a local-only route gets no grant of its own.
  for (const route of deployed) {
    if (DATA_LEVEL[route.data] > DATA_LEVEL[data]) data = route.data;
    for (const use of route.uses ?? []) uses.add(use);
    // Checking a caller's token needs the JWT key, which is derived from the root secret, and a
    // read of the user item (the token's version must still be the account's: lib/session.ts).
    if (route.auth !== "public") {
      uses.add("secrets");
      if (DATA_LEVEL.read > DATA_LEVEL[data]) data = "read";
    }
  }
  return {
    name,
    entry: `handlers/${name}/index`,
    summary: `${name}: ${deployed.map((r) => r.operationId).join(", ")}`,
    trigger: { api: name },
    routes,
    timeoutSeconds: API_TIMEOUT_SECONDS,
    data,
    uses,
  };
}

/** A worker has no caller to authenticate: it gets the secret only when it says it uses it. */
function workerContract(worker: WorkerDef): FunctionContract {
  return {
    name: worker.name,
    entry: worker.handler,
    summary: worker.summary,
    trigger: worker.trigger,
    routes: [],
    timeoutSeconds: WORKER_TIMEOUT_SECONDS,
    data: worker.data,
    uses: new Set(worker.uses ?? []),
  };
}

export function functionContracts(
  routesByCapability: Partial<Record<Capability, readonly RouteDef[]>> = capabilities,
  workers: readonly WorkerDef[] = workerTable,
): FunctionContract[] {
  return [
    ...Object.entries(routesByCapability).map(([name, routes]) => apiContract(name as Capability, routes)),
    ...workers.map(workerContract),
  ];
}

/** Where a deployment's resources are: CDK tokens in the stack, loopback addresses locally. */
export interface DeploymentResources {
  stage: "local" | "dev" | "prod";
  tableName: string;
  appSecretArn: string;
  noticeQueueUrl: string;
  remindersQueueUrl: string;
  wechat: {
    appId: string;
    apiBase: string;
    secretParameter: string;
    /** Subscribe-message template ids; contract results and surveys are optional. */
    templates: { notice: string; appointment: string; contractResult?: string; survey?: string };
  };
  logLevel: string;
  /**
   * Source-mapped stack traces (NODE_OPTIONS=--enable-source-maps). Off by default: Node then parses
   * the whole map at every cold start (bench/REPORT.md, section 1); the maps ship beside the bundles
   * either way, so an operator turns this on while investigating (RUNBOOK.md).
   */
  sourceMaps?: boolean;
}

/** Exactly the environment a function gets (Lambda adds its own runtime variables on top). */
export function environmentOf(fn: FunctionContract, r: DeploymentResources): Record<string, string> {
  const environment: Record<string, string> = {
    STAGE: r.stage,
    TABLE_NAME: r.tableName,
    POWERTOOLS_SERVICE_NAME: "jiayi",
    POWERTOOLS_LOG_LEVEL: r.logLevel,
  };
  if (r.sourceMaps) environment.NODE_OPTIONS = "--enable-source-maps";
  // Contract drift (an unmasked field, a missing one) fails local runs instead of reaching users.
  if (r.stage === "local") environment.VALIDATE_RESPONSES = "true";
  if (fn.uses.has("secrets")) environment.APP_SECRET_ARN = r.appSecretArn;
  if (fn.uses.has("notices-queue")) environment.NOTICE_QUEUE_URL = r.noticeQueueUrl;
  if (fn.uses.has("reminders-queue")) environment.REMINDERS_QUEUE_URL = r.remindersQueueUrl;
  if (fn.uses.has("wechat")) {
    environment.WECHAT_APPID = r.wechat.appId;
    environment.WECHAT_API_BASE = r.wechat.apiBase;
    environment.WECHAT_SECRET_PARAM = r.wechat.secretParameter;
  }
  if (fn.uses.has("wechat") || fn.uses.has("subscribe-templates")) {
    const { notice, appointment, contractResult, survey } = r.wechat.templates;
    environment.WECHAT_TEMPLATE_NOTICE = notice;
    environment.WECHAT_TEMPLATE_APPOINTMENT = appointment;
    if (contractResult) environment.WECHAT_TEMPLATE_CONTRACT_RESULT = contractResult;
    if (survey) environment.WECHAT_TEMPLATE_SURVEY = survey;
  }
  return environment;
}

export const DYNAMODB_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"] as const;
// Transactions need no action of their own: IAM checks each Put/Update/Delete/ConditionCheck inside.
export const DYNAMODB_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:BatchWriteItem",
] as const;

export type Resource = "table" | "indexes" | "appSecret" | "wechatSecret" | "noticeQueue" | "remindersQueue";

/** The IAM statements of a function, as (actions, resource) pairs the stack and the local edge share. */
export function grantsOf(fn: FunctionContract): { actions: readonly string[]; resource: Resource }[] {
  const grants: { actions: readonly string[]; resource: Resource }[] = [];
  if (fn.data !== "none") {
    grants.push({
      actions:
        fn.data === "readwrite"
          ? [...DYNAMODB_READ_ACTIONS, ...DYNAMODB_WRITE_ACTIONS]
          : DYNAMODB_READ_ACTIONS,
      resource: "table",
    });
    grants.push({ actions: ["dynamodb:Query"], resource: "indexes" });
  }
  if (fn.uses.has("secrets"))
    grants.push({ actions: ["secretsmanager:GetSecretValue"], resource: "appSecret" });
  if (fn.uses.has("wechat")) grants.push({ actions: ["ssm:GetParameter"], resource: "wechatSecret" });
  if (fn.uses.has("notices-queue")) grants.push({ actions: ["sqs:SendMessage"], resource: "noticeQueue" });
  if (fn.uses.has("reminders-queue"))
    grants.push({ actions: ["sqs:SendMessage"], resource: "remindersQueue" });
  return grants;
}
