import { randomUUID } from "node:crypto";
import { join } from "node:path";
import {
  type DeploymentResources,
  environmentOf,
  type FunctionContract,
  functionContracts,
  grantsOf,
  MEMORY_MB,
  type Resource,
} from "../../functions/deployment.js";
import { ACCOUNT, arns, type Principal, REGION, startAwsEdge } from "./aws-edge.js";
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
}

export type LocalRuntime = Awaited<ReturnType<typeof startLocalRuntime>>;

export async function startLocalRuntime(options: LocalRuntimeOptions) {
  const contracts = functionContracts();
  const appSecretName = "jiayi/local/app-secret";
  const wechatSecretParameter = "/jiayi/local/wechat/app-secret";
  const principals = new Map<string, Principal>([
    [OPERATOR_KEY, { name: "jiayi-local-operator", grants: "*" }],
  ]);
  const edge = await startAwsEdge({
    dynamoEndpoint: options.dynamoEndpoint,
    sqsEndpoint: options.sqs.url,
    secrets: { [arns.secret(appSecretName)]: options.appSecret },
    parameters: { [wechatSecretParameter]: options.wechat.appSecret },
    principals,
    faults: options.faults,
    key: { partition: "pk", sort: "sk" },
  });
  const queueUrl = (name: string) => `${edge.url}/${ACCOUNT}/${name}`;
  const resources: DeploymentResources = {
    stage: "local",
    tableName: options.tableName,
    appSecretArn: arns.secret(appSecretName),
    noticeQueueUrl: queueUrl("jiayi-notices"),
    remindersQueueUrl: queueUrl("jiayi-reminders"),
    wechat: {
      appId: options.wechat.appId,
      apiBase: options.wechat.url,
      secretParameter: wechatSecretParameter,
      templates: { notice: "tmpl-health-notice", appointment: "tmpl-appointment-reminder" },
    },
    logLevel: options.logLevel,
  };
  const resourceArns: Record<Resource, string[]> = {
    table: [arns.table(options.tableName)],
    indexes: ["gsi1", "gsi2"].map((i) => arns.index(options.tableName, i)),
    appSecret: [arns.secret(appSecretName)],
    wechatSecret: [arns.parameter(wechatSecretParameter)],
    noticeQueue: [arns.queue("jiayi-notices")],
    remindersQueue: [arns.queue("jiayi-reminders")],
  };

  const functions = new Map<string, { contract: FunctionContract; fn: LocalFunction }>();
  for (const contract of contracts) {
    const role = `jiayi-local-${contract.name}`;
    const accessKey = `LOCAL${contract.name.toUpperCase()}`;
    principals.set(accessKey, {
      name: role,
      grants: grantsOf(contract).map((g) => ({ actions: g.actions, resources: resourceArns[g.resource] })),
    });
    const environment = {
      ...environmentOf(contract, resources),
      // What the Lambda runtime itself sets in every environment.
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: accessKey,
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_SESSION_TOKEN: "local",
      AWS_LAMBDA_FUNCTION_NAME: role,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_MB),
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      TZ: ":UTC",
      // The one local addition: every AWS call goes to the twin's endpoint.
      AWS_ENDPOINT_URL: edge.url,
    };
    const fn = new LocalFunction({
      name: role,
      entryPath: join(options.functionsDir, `${contract.entry}.ts`),
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
    },
  };
}
