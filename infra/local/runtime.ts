import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { TABLE } from "../../functions/data/table.js";
import {
  type DeploymentResources,
  environmentOf,
  type FunctionContract,
  functionContracts,
  grantsOf,
  MEMORY_MB,
  type Resource,
} from "../../functions/deployment.js";
import { ACCOUNT, arns, type EdgeObserver, type Principal, REGION, startAwsEdge } from "./aws-edge.js";
import { bundleFunctions } from "./bundle.js";
import type { FakeSqs } from "./fake-sqs.js";
import type { Faults } from "./faults.js";
import { LambdaError, LocalFunction } from "./lambda.js";

/**
 * The deployed system, locally: every function of the deployment contract as a LocalFunction with
 * exactly its own environment, grants and timeout, behind the local AWS endpoint. Queue workers
 * consume the SQS stand-in, scheduled ones run through `runSchedule` as EventBridge would start them.
 */
export const OPERATOR_KEY = "local-operator";

export interface LocalRuntimeOptions {
  functionsDir: string;
  tableName: string;
  dynamoEndpoint: string;
  sqs: FakeSqs;
  appSecret: string;
  wechat: { url: string; appId: string; appSecret: string };
  faults: Faults;
  logLevel: string;
  /** Environments per function at once (default 10). */
  maxConcurrency?: number;
  /** Sees every DynamoDB call (the bench meters capacity with it). */
  observer?: EdgeObserver;
}

export type LocalRuntime = Awaited<ReturnType<typeof startLocalRuntime>>;

const APP_SECRET_NAME = "jiayi/local/app-secret";
const WECHAT_SECRET_PARAMETER = "/jiayi/local/wechat/app-secret";

/** Where the local deployment's resources are: all behind the local AWS endpoint. */
export function localResources(options: {
  tableName: string;
  endpoint: string;
  wechat: { url: string; appId: string };
  logLevel: string;
}): DeploymentResources {
  const queueUrl = (name: string) => `${options.endpoint}/${ACCOUNT}/${name}`;
  return {
    stage: "local",
    tableName: options.tableName,
    appSecretArn: arns.secret(APP_SECRET_NAME),
    noticeQueueUrl: queueUrl("jiayi-notices"),
    remindersQueueUrl: queueUrl("jiayi-reminders"),
    wechat: {
      appId: options.wechat.appId,
      apiBase: options.wechat.url,
      secretParameter: WECHAT_SECRET_PARAMETER,
      templates: {
        notice: "tmpl-health-notice",
        appointment: "tmpl-appointment-reminder",
        contractResult: "tmpl-contract-result",
        survey: "tmpl-survey-invitation",
      },
    },
    logLevel: options.logLevel,
    // As deployed with -c sourceMaps=true: readable stack traces while developing and testing.
    sourceMaps: true,
  };
}

export const roleOf = (fn: FunctionContract) => `jiayi-local-${fn.name}`;
/** The access key a function's SDK clients sign with: the local AWS endpoint knows the caller by it. */
export const accessKeyOf = (fn: FunctionContract) => `LOCAL${fn.name.toUpperCase()}`;

/** A function's whole environment: its contract's, what the Lambda runtime sets, and the endpoint. */
export function lambdaEnvironment(
  fn: FunctionContract,
  resources: DeploymentResources,
  endpoint: string,
): Record<string, string> {
  return {
    ...environmentOf(fn, resources),
    // What the Lambda runtime itself sets in every environment.
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: accessKeyOf(fn),
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_SESSION_TOKEN: "local",
    AWS_LAMBDA_FUNCTION_NAME: roleOf(fn),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_MB),
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
    TZ: ":UTC",
    // The one local addition: every AWS call goes to the twin's endpoint.
    AWS_ENDPOINT_URL: endpoint,
  };
}

export async function startLocalRuntime(options: LocalRuntimeOptions) {
  const contracts = functionContracts();
  const principals = new Map<string, Principal>([
    [OPERATOR_KEY, { name: "jiayi-local-operator", grants: "*", faultFree: true }],
  ]);
  const edge = await startAwsEdge({
    dynamoEndpoint: options.dynamoEndpoint,
    sqsEndpoint: options.sqs.url,
    secrets: { [arns.secret(APP_SECRET_NAME)]: options.appSecret },
    parameters: { [WECHAT_SECRET_PARAMETER]: options.wechat.appSecret },
    principals,
    faults: options.faults,
    observer: options.observer,
    key: { partition: TABLE.partitionKey, sort: TABLE.sortKey },
  });
  const resources = localResources({
    tableName: options.tableName,
    endpoint: edge.url,
    wechat: options.wechat,
    logLevel: options.logLevel,
  });
  const resourceArns: Record<Resource, string[]> = {
    table: [arns.table(options.tableName)],
    indexes: TABLE.indexes.map((i) => arns.index(options.tableName, i.name)),
    appSecret: [arns.secret(APP_SECRET_NAME)],
    wechatSecret: [arns.parameter(WECHAT_SECRET_PARAMETER)],
    noticeQueue: [arns.queue("jiayi-notices")],
    remindersQueue: [arns.queue("jiayi-reminders")],
  };

  const bundleDir = join(options.functionsDir, "..", ".cache", "lambda", String(process.pid));
  const bundles = await bundleFunctions(contracts, {
    functionsDir: options.functionsDir,
    // One folder per runtime: parallel runs (several test processes) never overwrite each other's.
    outDir: bundleDir,
  });
  const functions = new Map<string, { contract: FunctionContract; fn: LocalFunction }>();
  for (const contract of contracts) {
    principals.set(accessKeyOf(contract), {
      name: roleOf(contract),
      grants: grantsOf(contract).map((g) => ({ actions: g.actions, resources: resourceArns[g.resource] })),
    });
    const environment = lambdaEnvironment(contract, resources, edge.url);
    const fn = new LocalFunction({
      name: roleOf(contract),
      entryPath: bundles.get(contract.name) ?? "",
      environment,
      timeoutSeconds: contract.timeoutSeconds,
      memoryMb: MEMORY_MB,
      maxConcurrency: options.maxConcurrency,
    });
    functions.set(contract.name, { contract, fn });
  }

  const get = (name: string) => {
    const found = functions.get(name);
    if (!found) throw new Error(`No function ${name}`);
    return found.fn;
  };

  for (const { contract, fn } of functions.values()) {
    if ("queue" in contract.trigger)
      options.sqs.consume(`jiayi-${contract.trigger.queue}`, (event) => fn.invoke(event) as never);
  }

  /**
   * Starts a scheduled worker as EventBridge does: an asynchronous invocation that Lambda retries
   * twice when the function fails or times out. Resolves with the last run's result or error.
   */
  async function runSchedule(name: string, input: { time?: unknown; detail?: unknown } = {}) {
    const fn = get(name);
    const event = {
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: ACCOUNT,
      time: typeof input.time === "string" ? input.time : new Date().toISOString(),
      region: REGION,
      resources: [`arn:aws-cn:events:${REGION}:${ACCOUNT}:rule/jiayi-${name}`],
      detail: input.detail && typeof input.detail === "object" ? input.detail : {},
    };
    let failure: LambdaError | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return { ok: true as const, result: await fn.invoke(event), attempts: attempt + 1 };
      } catch (error) {
        failure = error instanceof LambdaError ? error : new LambdaError("Error", String(error));
      }
    }
    return { ok: false as const, errorType: failure?.errorType, errorMessage: failure?.message, attempts: 3 };
  }

  /** The environment of a caller outside any function (seeding, operator commands, tests). */
  const operatorEnvironment = {
    ...Object.assign({}, ...contracts.map((c) => environmentOf(c, resources))),
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: OPERATOR_KEY,
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL: edge.url,
  };

  return {
    edge,
    contracts,
    operatorEnvironment,
    invoke: (name: string, event: unknown) => get(name).invoke(event),
    runSchedule,
    stats: () => Object.fromEntries([...functions].map(([name, { fn }]) => [name, { ...fn.stats }])),
    stop: async () => {
      await Promise.all([...functions.values()].map(({ fn }) => fn.stop()));
      await edge.stop();
      rmSync(bundleDir, { recursive: true, force: true });
    },
  };
}
