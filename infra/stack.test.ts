import type { Environment, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import type { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import type { StringParameter } from "aws-cdk-lib/aws-ssm";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { TABLE } from "../functions/data/table.js";
import {
  API_TIMEOUT_SECONDS,
  type DataAccess,
  type DeploymentResources,
  environmentOf,
  type FunctionContract,
  functionContracts,
  grantsOf,
  KEEP_WARM_MINUTES,
  MEMORY_MB,
  type Resource,
  WORKER_TIMEOUT_SECONDS,
} from "../functions/deployment.js";
import { PROJECTED_TYPES } from "../functions/domain/reports.js";
import { WARM_DETAIL_TYPE } from "../functions/lib/dispatch.js";
import type { AwsUse, RouteDef } from "../functions/lib/route.js";
import type { WorkerDef } from "../functions/lib/worker-def.js";
import { type Capability, capabilities, routes } from "../functions/routes.js";
import { workers as workerTable } from "../functions/workers.js";
import { buildApp, QUEUE_MAX_CONCURRENCY } from "./stack.js";

/**
 * The stack is checked against the same declaration it is built from (functions/deployment.ts):
 * for every function, its environment must be `environmentOf(contract)` and its IAM statements
 * `grantsOf(contract)`, plus only what Lambda itself needs (its log group, the key behind the
 * secret, its trigger's event-source grants). Nothing here restates a route's or a worker's needs.
 */

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}
type Caps = Partial<Record<Capability, readonly RouteDef[]>>;

interface FunctionResource {
  Properties: {
    Description: string;
    Timeout: number;
    MemorySize: number;
    Role: { "Fn::GetAtt": [string, string] };
    Environment: { Variables: Json };
    LoggingConfig: { LogGroup: { Ref: string } };
    DeadLetterConfig?: { TargetArn: unknown };
  };
}

/** Every DynamoDB action that touches items, granted or not: none may ever apply to Resource "*". */
const DATA_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:BatchGetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:Scan",
  "dynamodb:PartiQLSelect",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
  "dynamodb:GetRecords",
];

function synth(
  options: {
    stage?: string;
    env?: Environment;
    capabilities?: Caps;
    workers?: readonly WorkerDef[];
    context?: Json;
  } = {},
) {
  const { app, stack } = buildApp({
    context: { stage: options.stage ?? "dev", "aws:cdk:bundling-stacks": [], ...options.context },
    env: options.env,
    capabilities: options.capabilities,
    workers: options.workers,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The contracts the stack is built from, with the same defaults as buildApp. */
const contractsOf = (caps: Caps = capabilities, ws: readonly WorkerDef[] = workerTable) =>
  functionContracts(caps, ws);
const isApi = (fn: FunctionContract) => "api" in fn.trigger;

const resourcesOf = (template: Template) => template.toJSON().Resources as Record<string, Json>;

/** The one function deployed for `fn`: found by its description, which is its entry module. */
function functionOf(
  template: Template,
  fn: FunctionContract,
): { id: string; props: FunctionResource["Properties"] } {
  const found = template.findResources("AWS::Lambda::Function", { Properties: { Description: fn.entry } });
  expect(Object.keys(found), `functions for ${fn.name} (${fn.entry})`).toHaveLength(1);
  const [[id, resource]] = Object.entries(found) as [[string, FunctionResource]];
  return { id, props: resource.Properties };
}

/** The statements of the IAM policies matching `props` (all of them by default). */
function statementsOf(template: Template, props: Json = {}): Statement[] {
  const policies = template.findResources("AWS::IAM::Policy", props);
  return Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

function statementsOfFunction(template: Template, fn: FunctionContract): Statement[] {
  const roleId = functionOf(template, fn).props.Role["Fn::GetAtt"][0];
  return statementsOf(template, { Properties: { Roles: [{ Ref: roleId }] } });
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const actionsOf = (s: Statement) => asArray(s.Action);

/**
 * A policy as a set of `action on resource [if condition]` lines, so statements that CDK merges,
 * splits or orders differently compare equal when they allow the same thing.
 */
function permissionLines(statements: readonly Statement[]): string[] {
  const lines = statements.flatMap((s) =>
    actionsOf(s).flatMap((action) =>
      asArray(s.Resource).map(
        (resource) =>
          `${s.Effect} ${action} on ${JSON.stringify(resource)}${s.Condition ? ` if ${JSON.stringify(s.Condition)}` : ""}`,
      ),
    ),
  );
  return [...new Set(lines)].sort();
}

/** The stack's own constructs, resolved to the values the template holds. */
function stackResources(stack: Stack) {
  const child = <T>(id: string) => stack.node.findChild(id) as T;
  const table = child<Table>("Table");
  const appSecret = child<Secret>("AppSecret");
  const noticeQueue = child<Queue>("NoticeQueue");
  const remindersQueue = child<Queue>("RemindersQueue");
  const wechatAppId = child<StringParameter>("WechatAppId");
  const dataKey = child<{ keyArn: string }>("DataKey");
  return { table, appSecret, noticeQueue, remindersQueue, wechatAppId, dataKey };
}

/** What each `Resource` of grantsOf names in this stack, as template values. */
function resourceValues(stack: Stack, stage: string): Record<Resource, unknown[]> {
  const r = stackResources(stack);
  const resolve = (v: string) => stack.resolve(v) as unknown;
  return {
    table: [resolve(r.table.tableArn)],
    indexes: TABLE.indexes.map((i) => resolve(`${r.table.tableArn}/index/${i.name}`)),
    appSecret: [resolve(r.appSecret.secretArn)],
    wechatSecret: [
      resolve(
        stack.formatArn({
          service: "ssm",
          resource: "parameter",
          resourceName: `jiayi/${stage}/wechat/app-secret`,
        }),
      ),
    ],
    noticeQueue: [resolve(r.noticeQueue.queueArn)],
    remindersQueue: [resolve(r.remindersQueue.queueArn)],
  };
}

/**
 * The statements `fn`'s role must hold: grantsOf(fn) on this stack's resources, the write to its
 * own log group, kms:Decrypt of the root secret for secrets users (bound to that secret by the
 * encryption context), and the grants its trigger's binding adds.
 */
function expectedStatements(
  template: Template,
  stack: Stack,
  stage: string,
  fn: FunctionContract,
): Statement[] {
  const { id, props } = functionOf(template, fn);
  const values = resourceValues(stack, stage);
  const allow = (Action: readonly string[], Resource: unknown, Condition?: Json): Statement => ({
    Effect: "Allow",
    Action: [...Action],
    Resource,
    ...(Condition ? { Condition } : {}),
  });
  const statements = grantsOf(fn).map((g) => allow(g.actions, values[g.resource]));
  statements.push(
    allow(["logs:CreateLogStream", "logs:PutLogEvents"], {
      "Fn::GetAtt": [props.LoggingConfig.LogGroup.Ref, "Arn"],
    }),
  );
  if (fn.uses.has("secrets")) {
    const r = stackResources(stack);
    statements.push(
      allow(["kms:Decrypt"], stack.resolve(r.dataKey.keyArn), {
        StringEquals: { "kms:EncryptionContext:SecretARN": stack.resolve(r.appSecret.secretArn) },
      }),
    );
  }
  const trigger = fn.trigger;
  if ("schedule" in trigger) {
    // Lambda's own dead-letter queue for failed asynchronous runs.
    statements.push(allow(["sqs:SendMessage"], props.DeadLetterConfig?.TargetArn));
  } else if ("queue" in trigger) {
    const queue = stackResources(stack)[trigger.queue === "notices" ? "noticeQueue" : "remindersQueue"];
    statements.push(
      allow(
        [
          "sqs:ReceiveMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:GetQueueUrl",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
        ],
        stack.resolve(queue.queueArn),
      ),
    );
  } else if ("stream" in trigger) {
    const mapping = Object.values(
      template.findResources("AWS::Lambda::EventSourceMapping", {
        Properties: { FunctionName: { Ref: id } },
      }),
    )[0] as { Properties: { DestinationConfig: { OnFailure: { Destination: unknown } } } } | undefined;
    const table = stackResources(stack).table;
    statements.push(
      allow(
        ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        mapping?.Properties.DestinationConfig.OnFailure.Destination,
      ),
      // ListStreams has no resource-level permissions; the reads themselves name this table's stream.
      allow(["dynamodb:ListStreams"], "*"),
      allow(
        ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
        stack.resolve(table.tableStreamArn),
      ),
    );
  }
  return statements;
}

/** The resources a deployment gets in this stack, for environmentOf (the context below sets the rest). */
const CONTEXT = {
  wechatApiBase: "https://wechat.example.test",
  wechatTemplateNotice: "tmpl-test-notice",
  wechatTemplateAppointment: "tmpl-test-appointment",
};
/** What a production synth needs beyond CONTEXT: each of its guardrails satisfied. */
const PROD_CONTEXT = {
  ...CONTEXT,
  wechatAppId: "wx0123456789abcdef",
  corsOrigins: "https://h5.example.cn",
  domainName: "api.example.cn",
  certificateArn: "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0000-test",
};
function deploymentResources(stack: Stack, stage: "dev" | "prod"): DeploymentResources {
  const r = stackResources(stack);
  return {
    stage,
    tableName: r.table.tableName,
    appSecretArn: r.appSecret.secretArn,
    noticeQueueUrl: r.noticeQueue.queueUrl,
    remindersQueueUrl: r.remindersQueue.queueUrl,
    wechat: {
      appId: r.wechatAppId.stringValue,
      apiBase: CONTEXT.wechatApiBase,
      secretParameter: `/jiayi/${stage}/wechat/app-secret`,
      templates: { notice: CONTEXT.wechatTemplateNotice, appointment: CONTEXT.wechatTemplateAppointment },
    },
    logLevel: stage === "prod" ? "INFO" : "DEBUG",
  };
}

const DATA_LEVEL: Record<DataAccess, number> = { none: 0, read: 1, readwrite: 2 };

/**
 * What a capability function needs, computed from its deployed routes alone: the highest data
 * level, every `uses`, and the root secret as soon as one route checks a token.
 */
function neededBy(deployedRoutes: readonly RouteDef[]): { data: DataAccess; uses: AwsUse[] } {
  const data = deployedRoutes.reduce<DataAccess>(
    (max, r) => (DATA_LEVEL[r.data] > DATA_LEVEL[max] ? r.data : max),
    "none",
  );
  const uses = new Set<AwsUse>(deployedRoutes.flatMap((r) => r.uses ?? []));
  if (deployedRoutes.some((r) => r.auth !== "public")) uses.add("secrets");
  return { data, uses: [...uses].sort() };
}

const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const deployedRoutes: readonly RouteDef[] = routes.filter((r: RouteDef) => !r.localOnly);

const fixtureRoute = (over: Partial<RouteDef>): RouteDef => ({
  operationId: "fixture",
  method: "POST",
  path: "/v1/fixture",
  summary: "fixture",
  auth: "public",
  status: 200,
  response: null,
  data: "none",
  ...over,
});

const fixtureWorker = (over: Partial<WorkerDef>): WorkerDef => ({
  name: "fixtureWorker",
  summary: "fixture",
  handler: "handlers/platform/health",
  trigger: { queue: "reminders" },
  data: "read",
  ...over,
});

/**
 * Every kind of worker at once: each trigger, each data level, each extra need. Each names a
 * module of its own (any existing module: tests do not bundle), so each function is found by it.
 */
const fixtureWorkers: readonly WorkerDef[] = [
  fixtureWorker({
    name: "hourlySweep",
    handler: "handlers/platform/health",
    trigger: { schedule: "rate(1 hour)" },
    uses: ["secrets"],
  }),
  fixtureWorker({
    name: "noticeSender",
    handler: "handlers/platform/get-config",
    trigger: { queue: "notices" },
    data: "readwrite",
    uses: ["secrets", "wechat"],
  }),
  fixtureWorker({
    name: "reminderFanout",
    handler: "handlers/platform/openapi",
    trigger: { queue: "reminders" },
    uses: ["notices-queue", "reminders-queue"],
  }),
  fixtureWorker({
    name: "streamProjection",
    handler: "handlers/notices/get-notice",
    trigger: { stream: "table" },
    data: "readwrite",
  }),
];
const allWorkers: readonly WorkerDef[] = [...workerTable, ...fixtureWorkers];

/** Every need of a route at once, added to the real table so every grant path is in the template. */
const everyNeedCapabilities: Caps = {
  ...capabilities,
  platform: [
    ...capabilities.platform,
    fixtureRoute({
      auth: "user",
      data: "readwrite",
      uses: ["secrets", "wechat", "notices-queue", "reminders-queue"],
    }),
  ],
};

// The first synth loads aws-cdk-lib and can pass vitest's 5 s default on a busy machine.
describe("JiayiStack", { timeout: 60_000 }, () => {
  it("keeps the production table safe: PITR, deletion protection, TTL, stream, retained", () => {
    // Prepare
    const { template } = synth({ stage: "prod", context: PROD_CONTEXT });

    // Act
    const tables = template.findResources("AWS::DynamoDB::Table");

    // Assess
    expect(Object.keys(tables)).toHaveLength(1);
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: TABLE.indexes.map((i) =>
          Match.objectLike({
            IndexName: i.name,
            KeySchema: [
              { AttributeName: i.partitionKey, KeyType: "HASH" },
              { AttributeName: i.sortKey, KeyType: "RANGE" },
            ],
          }),
        ),
      }),
    });
  });

  it("encrypts the root secret with its own rotating KMS key, both retained in production", () => {
    // Prepare
    const { template } = synth({ stage: "prod", context: PROD_CONTEXT });

    // Act
    const keys = template.findResources("AWS::KMS::Key");

    // Assess
    expect(Object.keys(keys)).toHaveLength(1);
    const [keyId] = Object.keys(keys) as [string];
    template.hasResource("AWS::KMS::Key", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
    template.hasResource("AWS::SecretsManager::Secret", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({ KmsKeyId: { "Fn::GetAtt": [keyId, "Arn"] } }),
    });
  });

  it("deploys exactly one function per capability and one per worker, described by its entry module", () => {
    // Prepare
    const { template } = synth();
    const contracts = contractsOf();

    // Act
    const fns = Object.values(template.findResources("AWS::Lambda::Function")) as FunctionResource[];

    // Assess
    expect(contracts.filter(isApi).map((fn) => fn.name)).toEqual(Object.keys(capabilities));
    expect(contracts.filter((fn) => !isApi(fn)).map((fn) => fn.name)).toEqual(workerTable.map((w) => w.name));
    expect(fns).toHaveLength(Object.keys(capabilities).length + workerTable.length);
    expect(fns.map((f) => f.Properties.Description).sort()).toEqual(
      [
        ...Object.keys(capabilities).map((c) => `handlers/${c}/index`),
        ...workerTable.map((w) => w.handler),
      ].sort(),
    );
    for (const fn of contracts) functionOf(template, fn);
  });

  it("keeps the stack at 250 CloudFormation resources or fewer", () => {
    // Prepare
    const { template } = synth();

    // Act
    const resources = resourcesOf(template);
    const count = Object.keys(resources).length;
    const byType = new Map<string, number>();
    for (const r of Object.values(resources))
      byType.set(String(r.Type), (byType.get(String(r.Type)) ?? 0) + 1);
    console.log(
      `CloudFormation resources: ${count} of 500 (limit in this test: 250) — ${[...byType]
        .sort((a, b) => b[1] - a[1])
        .map(([t, n]) => `${t.replace(/^AWS::/, "")} ${n}`)
        .join(", ")}`,
    );

    // Assess
    expect(count).toBeLessThanOrEqual(250);
  });

  it("derives each capability's contract from the union of its deployed routes' needs", () => {
    // Prepare
    const contracts = contractsOf().filter(isApi);

    for (const fn of contracts) {
      // Act
      const needs = neededBy(fn.routes.filter((r) => !r.localOnly));

      // Assess
      expect(fn.routes, fn.name).toEqual(capabilities[fn.name as Capability]);
      expect(fn.data, fn.name).toBe(needs.data);
      expect([...fn.uses].sort(), fn.name).toEqual(needs.uses);
      expect(fn.timeoutSeconds, fn.name).toBe(API_TIMEOUT_SECONDS);
    }
    // Every row of the flat route table belongs to exactly one capability.
    expect(contracts.flatMap((fn) => fn.routes.map((r) => r.operationId)).sort()).toEqual(
      routes.map((r) => r.operationId).sort(),
    );
  });

  it.each([
    ["the route table and worker list", undefined, undefined],
    ["every need of a route and every kind of worker", everyNeedCapabilities, allWorkers],
  ])("gives each function exactly the IAM statements its contract declares (%s)", (_name, caps, ws) => {
    // Prepare
    const { template, stack } = synth({ capabilities: caps, workers: ws });

    for (const fn of contractsOf(caps, ws)) {
      // Act
      const actual = permissionLines(statementsOfFunction(template, fn));

      // Assess
      expect(actual, fn.name).toEqual(permissionLines(expectedStatements(template, stack, "dev", fn)));
    }
  });

  it("grants a capability function the highest data level of its routes, and the secret once one route checks a token", () => {
    // Prepare: one public route that needs nothing, one that reads, one signed-in route that writes.
    const caps: Caps = {
      surveys: [
        fixtureRoute({ operationId: "a", path: "/v1/a", data: "none" }),
        fixtureRoute({ operationId: "b", path: "/v1/b", data: "read" }),
        fixtureRoute({ operationId: "c", path: "/v1/c", data: "readwrite", auth: ["manager"] }),
      ],
      platform: [fixtureRoute({ operationId: "d", path: "/v1/d", data: "none" })],
    };
    const { template } = synth({ capabilities: caps, workers: [] });
    const [surveys, platform] = contractsOf(caps, []) as [FunctionContract, FunctionContract];

    // Act
    const surveyActions = statementsOfFunction(template, surveys).flatMap(actionsOf);
    const platformActions = statementsOfFunction(template, platform).flatMap(actionsOf);
    const platformEnv = functionOf(template, platform).props.Environment.Variables;

    // Assess
    expect(surveyActions).toEqual(
      expect.arrayContaining(["dynamodb:PutItem", "secretsmanager:GetSecretValue", "kms:Decrypt"]),
    );
    // Public routes that need no data: the log write and nothing else, and no secret in the env.
    expect([...new Set(platformActions)].sort()).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(platformEnv).not.toHaveProperty("APP_SECRET_ARN");
  });

  // A local-only route (such as devLogin) is never deployed, so it must widen no deployed grant.
  it("grants a deployed function nothing that only a local-only route needs", () => {
    // Prepare
    const caps: Caps = {
      platform: [
        ...capabilities.platform,
        fixtureRoute({ localOnly: true, auth: "user", data: "readwrite", uses: ["wechat", "notices-queue"] }),
      ],
    };
    const { template } = synth({ capabilities: caps, workers: [] });
    const [platform] = contractsOf(caps, []) as [FunctionContract];

    // Act
    const actions = new Set(statementsOfFunction(template, platform).flatMap(actionsOf));

    // Assess
    const needs = neededBy(capabilities.platform);
    expect(actions.has("dynamodb:PutItem")).toBe(needs.data === "readwrite");
    expect(actions.has("ssm:GetParameter")).toBe(needs.uses.includes("wechat"));
    expect(actions.has("sqs:SendMessage")).toBe(needs.uses.includes("notices-queue"));
  });

  it("grants no wildcard action and no DynamoDB data action on Resource *", () => {
    // Prepare: every kind of need at once, so every grant path is in the template.
    const { template } = synth({ capabilities: everyNeedCapabilities, workers: allWorkers });

    // Act
    const statements = statementsOf(template);

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      const actions = actionsOf(s);
      expect(s.Effect).toBe("Allow");
      expect(actions).not.toContain("*");
      expect(actions.filter((a) => a.endsWith(":*") || a.includes("*"))).toEqual([]);
      const resources = asArray(s.Resource);
      if (actions.some((a) => DATA_ACTIONS.includes(a))) {
        expect(resources).not.toContain("*");
        // Named table and index ARNs only: no `table/*`, no `index/*`.
        expect(JSON.stringify(resources)).not.toMatch(/\/\*|\*"/);
      }
    }
    // Resource "*" only where AWS offers nothing narrower (Lambda's stream polling).
    const onStar = statements.filter((s) => asArray(s.Resource).includes("*")).flatMap(actionsOf);
    expect([...new Set(onStar)]).toEqual(["dynamodb:ListStreams"]);
  });

  it.each([
    ["the route table and worker list", undefined, undefined],
    ["every need of a route and every kind of worker", everyNeedCapabilities, allWorkers],
  ])("gives each function exactly the environment of its contract (%s)", (_name, caps, ws) => {
    // Prepare
    const { template, stack } = synth({ capabilities: caps, workers: ws, context: CONTEXT });
    const resources = deploymentResources(stack, "dev");

    for (const fn of contractsOf(caps, ws)) {
      // Act
      const actual = functionOf(template, fn).props.Environment.Variables;

      // Assess: same keys, and the same values once CDK tokens are resolved.
      const expected = environmentOf(fn, resources);
      expect(Object.keys(actual).sort(), fn.name).toEqual(Object.keys(expected).sort());
      expect(actual, fn.name).toEqual(stack.resolve(expected));
    }
  });

  it("runs the appointmentReminders worker with exactly the environment and grants it declares", () => {
    // Prepare
    const declared = workerTable.find((w) => w.name === "appointmentReminders") as WorkerDef | undefined;
    expect(declared, "appointmentReminders in functions/workers.ts").toBeDefined();
    const { template, stack } = synth({ context: CONTEXT });
    const fn = contractsOf().find((c) => c.name === "appointmentReminders") as FunctionContract;

    // Act
    const { props } = functionOf(template, fn);
    const statements = statementsOfFunction(template, fn);

    // Assess
    expect(props.Description).toBe(declared?.handler);
    expect(fn.data).toBe(declared?.data);
    expect([...fn.uses].sort()).toEqual([...(declared?.uses ?? [])].sort());
    expect(props.Environment.Variables).toEqual(
      stack.resolve(environmentOf(fn, deploymentResources(stack, "dev"))),
    );
    expect(permissionLines(statements)).toEqual(
      permissionLines(expectedStatements(template, stack, "dev", fn)),
    );
    expect("APP_SECRET_ARN" in props.Environment.Variables).toBe(fn.uses.has("secrets"));
    expect("WECHAT_SECRET_PARAM" in props.Environment.Variables).toBe(fn.uses.has("wechat"));
  });

  it("grants secrets, queue and WeChat access to exactly the named resources", () => {
    // Prepare
    const caps: Caps = {
      platform: [
        fixtureRoute({
          auth: ["doctor"],
          data: "readwrite",
          uses: ["notices-queue", "reminders-queue", "wechat"],
        }),
      ],
    };
    const { template, stack } = synth({ capabilities: caps, workers: [] });
    const [fn] = contractsOf(caps, []) as [FunctionContract];

    // Act
    const env = functionOf(template, fn).props.Environment.Variables;
    const statements = statementsOfFunction(template, fn);
    const find = (action: string) => statements.filter((s) => actionsOf(s).includes(action));

    // Assess
    expect(env).toMatchObject({
      APP_SECRET_ARN: { Ref: expect.stringMatching(/^AppSecret/) },
      WECHAT_APPID: expect.anything(),
      WECHAT_API_BASE: "https://api.weixin.qq.com",
      WECHAT_SECRET_PARAM: "/jiayi/dev/wechat/app-secret",
      NOTICE_QUEUE_URL: { Ref: expect.stringMatching(/^NoticeQueue/) },
      REMINDERS_QUEUE_URL: { Ref: expect.stringMatching(/^RemindersQueue/) },
    });
    const indexQuery = find("dynamodb:Query").flatMap((s) => asArray(s.Resource));
    for (const index of TABLE.indexes) expect(JSON.stringify(indexQuery)).toContain(`/index/${index.name}"`);
    expect(find("secretsmanager:GetSecretValue")).toHaveLength(1);
    expect(find("kms:Decrypt")).toHaveLength(1);
    expect(find("kms:Decrypt")[0]?.Condition).toMatchObject({
      StringEquals: { "kms:EncryptionContext:SecretARN": { Ref: expect.stringMatching(/^AppSecret/) } },
    });
    expect(stack.resolve(find("ssm:GetParameter")[0]?.Resource)).toMatchObject({
      "Fn::Join": ["", expect.arrayContaining([":parameter/jiayi/dev/wechat/app-secret"])],
    });
    const sendTo = find("sqs:SendMessage").flatMap((s) => asArray(s.Resource).map((r) => JSON.stringify(r)));
    expect(sendTo).toHaveLength(2);
    expect(sendTo.some((r) => r.includes('"NoticeQueue'))).toBe(true);
    expect(sendTo.some((r) => r.includes('"RemindersQueue'))).toBe(true);
  });

  it("binds every deployed route to its capability's function, and nothing else", () => {
    // Prepare
    const { template } = synth();
    const resources = resourcesOf(template);
    const boundRoutes = Object.values(template.findResources("AWS::ApiGatewayV2::Route")) as {
      Properties: { RouteKey: string; Target: { "Fn::Join": ["", [string, { Ref: string }]] } };
    }[];

    // Act
    const functionOfRoute = new Map(
      boundRoutes.map((r) => {
        const integrationId = r.Properties.Target["Fn::Join"][1][1].Ref;
        const integration = resources[integrationId] as {
          Properties: { IntegrationType: string; IntegrationUri: { "Fn::GetAtt": [string, string] } };
        };
        expect(integration.Properties.IntegrationType).toBe("AWS_PROXY");
        return [r.Properties.RouteKey, integration.Properties.IntegrationUri["Fn::GetAtt"][0]];
      }),
    );

    // Assess
    expect(boundRoutes.map((r) => r.Properties.RouteKey).sort()).toEqual(deployedRoutes.map(routeKey).sort());
    expect(functionOfRoute.size).toBe(boundRoutes.length);
    for (const fn of contractsOf().filter(isApi)) {
      const { id } = functionOf(template, fn);
      for (const route of fn.routes.filter((r) => !r.localOnly))
        expect(functionOfRoute.get(routeKey(route)), `${routeKey(route)} → ${fn.name}`).toBe(id);
      // API Gateway may invoke it.
      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        Principal: "apigateway.amazonaws.com",
        FunctionName: { "Fn::GetAtt": [id, "Arn"] },
      });
    }
    // One integration per capability function, shared by all its routes.
    template.resourceCountIs("AWS::ApiGatewayV2::Integration", Object.keys(capabilities).length);
  });

  it("never deploys a localOnly route such as devLogin, nor a local stage", () => {
    // Prepare
    const localOnly = routes.filter((r: RouteDef) => r.localOnly);
    expect(localOnly.map((r) => r.operationId)).toContain("devLogin");
    const extra = fixtureRoute({ operationId: "devThing", path: "/v1/dev/thing", localOnly: true });
    const caps: Caps = { ...capabilities, platform: [...capabilities.platform, extra] };

    for (const stage of ["dev", "prod"]) {
      // Act
      const { template } = synth({ stage, capabilities: caps, context: PROD_CONTEXT });

      // Assess
      for (const route of [...localOnly, extra])
        template.resourcePropertiesCountIs("AWS::ApiGatewayV2::Route", { RouteKey: routeKey(route) }, 0);
      // The devLogin module ships inside the identity bundle; its second lock is STAGE, never "local" here.
      for (const fn of Object.values(template.findResources("AWS::Lambda::Function")) as FunctionResource[]) {
        expect(fn.Properties.Environment.Variables.STAGE).toBe(stage);
        expect(fn.Properties.Environment.Variables).not.toHaveProperty("VALIDATE_RESPONSES");
      }
    }
  });

  it("gives each work queue a dead-letter queue after 5 receives, SSL only and encrypted", () => {
    // Prepare
    const { template } = synth();

    // Act
    const queues = template.findResources("AWS::SQS::Queue");
    const withDlq = Object.values(queues).filter((q) => (q as { Properties: Json }).Properties.RedrivePolicy);

    // Assess: two work queues, their dead-letter queues, the scheduled workers' one if any, and one
    // failure queue per stream worker.
    const streamWorkers = workerTable.filter((w) => "stream" in w.trigger).length;
    const scheduledWorkers = workerTable.filter((w) => "schedule" in w.trigger).length;
    expect(Object.keys(queues)).toHaveLength(4 + (scheduledWorkers > 0 ? 1 : 0) + streamWorkers);
    expect(withDlq).toHaveLength(2);
    for (const q of withDlq) {
      expect((q as { Properties: Json }).Properties.RedrivePolicy).toMatchObject({
        maxReceiveCount: 5,
        deadLetterTargetArn: { "Fn::GetAtt": [expect.stringMatching(/Dlq/), "Arn"] },
      });
      // Lambda's advice: the visibility timeout at least six times the consumer's timeout.
      expect(
        (q as { Properties: { VisibilityTimeout: number } }).Properties.VisibilityTimeout,
      ).toBeGreaterThanOrEqual(6 * WORKER_TIMEOUT_SECONDS);
    }
    template.allResourcesProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true });
    template.resourceCountIs("AWS::SQS::QueuePolicy", Object.keys(queues).length);
    template.allResourcesProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("pings every API function, and only those, every KEEP_WARM_MINUTES with the keep-warm event", () => {
    // Prepare
    const { template } = synth();
    const api = contractsOf().filter(isApi);

    // Act
    const rules = Object.values(
      template.findResources("AWS::Events::Rule", {
        Properties: { ScheduleExpression: `rate(${KEEP_WARM_MINUTES} minutes)` },
      }),
    ) as {
      Properties: {
        Targets: { Arn: { "Fn::GetAtt": [string, string] }; Input: string; RetryPolicy?: unknown }[];
      };
    }[];
    const targets = rules.flatMap((r) => r.Properties.Targets);

    // Assess
    expect(rules.every((r) => r.Properties.Targets.length <= 5)).toBe(true);
    expect(targets.map((t) => t.Arn["Fn::GetAtt"][0]).sort()).toEqual(
      api.map((fn) => functionOf(template, fn).id).sort(),
    );
    for (const t of targets) expect(JSON.parse(t.Input)).toMatchObject({ "detail-type": WARM_DETAIL_TYPE });
    const invoke = Object.values(
      template.findResources("AWS::Lambda::Permission", {
        Properties: { Principal: "events.amazonaws.com" },
      }),
    ) as { Properties: { FunctionName: { "Fn::GetAtt": [string, string] } } }[];
    for (const fn of api)
      expect(invoke.map((p) => p.Properties.FunctionName["Fn::GetAtt"][0])).toContain(
        functionOf(template, fn).id,
      );
  });

  it("runs every function on nodejs22.x arm64 with the fixed defaults and its contract's timeout", () => {
    // Prepare
    const { template } = synth();

    // Act
    const contracts = contractsOf();

    // Assess
    for (const fn of contracts) {
      const { props } = functionOf(template, fn);
      expect(props.Timeout, fn.name).toBe(fn.timeoutSeconds);
      expect(props.Timeout, fn.name).toBe(isApi(fn) ? API_TIMEOUT_SECONDS : WORKER_TIMEOUT_SECONDS);
      expect(props.MemorySize, fn.name).toBe(MEMORY_MB);
    }
    template.allResourcesProperties("AWS::Lambda::Function", {
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({
          // Source maps are parsed at init when enabled: off unless -c sourceMaps=true.
          NODE_OPTIONS: Match.absent(),
          POWERTOOLS_SERVICE_NAME: "jiayi",
          POWERTOOLS_LOG_LEVEL: "DEBUG",
          STAGE: "dev",
          TABLE_NAME: { Ref: Match.stringLikeRegexp("^Table") },
        }),
      },
    });
    // Own role per function, no AWS managed policy (AWSLambdaBasicExecutionRole logs to any group).
    template.resourceCountIs("AWS::IAM::Role", contracts.length);
    template.allResourcesProperties("AWS::IAM::Role", { ManagedPolicyArns: Match.absent() });
    // Own log group per function (plus the API's access logs).
    template.resourceCountIs("AWS::Logs::LogGroup", contracts.length + 1);
  });

  it("throttles the API stage by default, logs access and answers CORS preflight", () => {
    // Prepare
    const { template } = synth();

    // Act
    const stage = Object.values(template.findResources("AWS::ApiGatewayV2::Stage"))[0] as {
      Properties: { RouteSettings?: Record<string, unknown> };
      DependsOn?: string[];
    };

    // Assess (the sizing itself is checked in infra/throttling.test.ts).
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({
        ThrottlingBurstLimit: Match.anyValue(),
        ThrottlingRateLimit: Match.anyValue(),
      }),
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp("requestId") },
    });
    // Route settings may only name routes the API has (else the deployment fails).
    const bound = new Set(deployedRoutes.map(routeKey));
    for (const key of Object.keys(stage.Properties.RouteSettings ?? {}))
      expect(bound.has(key), key).toBe(true);
    expect(stage.DependsOn?.length ?? 0).toBeGreaterThanOrEqual(
      Object.keys(stage.Properties.RouteSettings ?? {}).length,
    );
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: Match.objectLike({
        AllowHeaders: ["authorization", "content-type", "idempotency-key"],
      }),
    });
    template.hasOutput("ApiUrl", Match.anyValue());
    template.hasOutput("TableName", Match.anyValue());
  });

  it.each([
    ["the route table and worker list", undefined, undefined],
    ["every need of a route and every kind of worker", everyNeedCapabilities, allWorkers],
  ])("passes cdk-nag's AwsSolutions checks (%s)", (_name, caps, ws) => {
    // Prepare
    const { app } = synth({ capabilities: caps, workers: ws });

    // Act
    const report = new AwsSolutionsChecks().validateScope(app);

    // Assess
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
  });

  it("gives every cdk-nag acknowledgement a written reason", () => {
    // Prepare
    const { app } = synth();
    const functionCount = contractsOf().length;
    const streamWorkers = workerTable.filter((w) => "stream" in w.trigger).length;

    // Act
    const acks = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === "aws:cdk:acknowledged-rules"))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));

    // Assess
    expect(acks.map(([id]) => id.replace(/^Annotation::/i, "")).sort()).toEqual(
      [
        "AwsSolutions-APIG4",
        ...Array(functionCount).fill("AwsSolutions-L1"),
        "AwsSolutions-SMG4",
        // Per stream worker: ListStreams has no resource ARN; the failure queue is itself a DLQ.
        ...Array(streamWorkers).fill("AwsSolutions-IAM5[Resource::*]"),
        ...Array(streamWorkers).fill("AwsSolutions-SQS3"),
      ].sort(),
    );
    for (const [, reason] of acks) expect(reason.length).toBeGreaterThan(40);
  });

  it.each([
    ["env-agnostic", undefined],
    ["cn-north-1", { region: "cn-north-1" }],
    ["cn-northwest-1", { region: "cn-northwest-1" }],
  ])("writes only partition-aware ARNs (%s)", (_name, env) => {
    // Prepare
    const { template } = synth({ env, capabilities: everyNeedCapabilities, workers: allWorkers });

    // Act
    const json = JSON.stringify(template.toJSON());

    // Assess
    expect(json.includes("arn:aws:"), "a literal arn:aws: in the template").toBe(false);
    expect(json).toContain('"arn:",{"Ref":"AWS::Partition"}');
  });

  it.each([
    ["the worker list", workerTable],
    ["every kind of worker", allWorkers],
  ])("runs each scheduled worker from an EventBridge rule with retries and a DLQ (%s)", (_name, list) => {
    // Prepare
    const { template } = synth({ workers: list });
    const scheduledWorkers = contractsOf(capabilities, list).filter((fn) => "schedule" in fn.trigger);

    for (const worker of scheduledWorkers) {
      // Act
      const { id, props } = functionOf(template, worker);
      const rules = template.findResources("AWS::Events::Rule", {
        Properties: { ScheduleExpression: (worker.trigger as { schedule: string }).schedule },
      });
      const mine = Object.values(rules).filter((r) =>
        JSON.stringify((r as { Properties: Json }).Properties.Targets).includes(`"${id}"`),
      ) as { Properties: Json }[];

      // Assess
      expect(mine, worker.name).toHaveLength(1);
      expect(mine[0]?.Properties, worker.name).toMatchObject({
        State: "ENABLED",
        Targets: [
          {
            Arn: { "Fn::GetAtt": [id, "Arn"] },
            RetryPolicy: {
              MaximumRetryAttempts: expect.any(Number),
              MaximumEventAgeInSeconds: expect.any(Number),
            },
            DeadLetterConfig: { Arn: { "Fn::GetAtt": [expect.stringMatching(/^ScheduleDlq/), "Arn"] } },
          },
        ],
      });
      // Failures inside the function (after Lambda's async retries) reach the same queue.
      expect(props.DeadLetterConfig?.TargetArn).toEqual({
        "Fn::GetAtt": [expect.stringMatching(/^ScheduleDlq/), "Arn"],
      });
      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        FunctionName: { "Fn::GetAtt": [id, "Arn"] },
      });
    }
    // The worker rules, plus the keep-warm rules of the API functions (five targets a rule).
    const apiFunctions = Object.keys(capabilities).length;
    template.resourceCountIs("AWS::Events::Rule", scheduledWorkers.length + Math.ceil(apiFunctions / 5));
    // Only EventBridge rules: Scheduler's availability in the China regions is unsure.
    template.resourceCountIs("AWS::Scheduler::Schedule", 0);
  });

  it("feeds each queue worker from its queue with partial batch failures", () => {
    // Prepare: the worker list may have no queue worker of each queue, so the fixtures bring some.
    const { template, stack } = synth({ workers: allWorkers });
    const contracts = contractsOf(capabilities, allWorkers);
    const queueWorkers = contracts.filter((fn) => "queue" in fn.trigger);
    expect(queueWorkers.length).toBeGreaterThan(0);

    for (const worker of queueWorkers) {
      // Act
      const { id } = functionOf(template, worker);
      const queue =
        stackResources(stack)[
          (worker.trigger as { queue: string }).queue === "notices" ? "noticeQueue" : "remindersQueue"
        ];

      // Assess
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        FunctionName: { Ref: id },
        EventSourceArn: stack.resolve(queue.queueArn),
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: Match.anyValue(),
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    }
    template.resourceCountIs(
      "AWS::Lambda::EventSourceMapping",
      queueWorkers.length + contracts.filter((fn) => "stream" in fn.trigger).length,
    );
  });

  it("feeds each stream worker from the table's stream, retrying by halves, failures to an SSL-only queue", () => {
    // Prepare: the fixtures bring a stream worker whatever the worker list holds.
    const { template } = synth({ workers: allWorkers });
    const streamWorkers = contractsOf(capabilities, allWorkers).filter((fn) => "stream" in fn.trigger);
    expect(streamWorkers.length).toBeGreaterThan(0);

    for (const worker of streamWorkers) {
      // Act
      const { id } = functionOf(template, worker);
      const mappings = template.findResources("AWS::Lambda::EventSourceMapping", {
        Properties: { FunctionName: { Ref: id } },
      });

      // Assess
      expect(Object.keys(mappings), worker.name).toHaveLength(1);
      const [mapping] = Object.values(mappings) as { Properties: Json }[];
      expect(mapping?.Properties, worker.name).toMatchObject({
        EventSourceArn: { "Fn::GetAtt": [expect.stringMatching(/^Table[0-9A-F]{8}$/), "StreamArn"] },
        // Replacing the mapping loses nothing: it starts at the stream's oldest record.
        StartingPosition: "TRIM_HORIZON",
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        DestinationConfig: {
          OnFailure: {
            Destination: { "Fn::GetAtt": [expect.stringMatching(/Failures[0-9A-F]{8}$/), "Arn"] },
          },
        },
      });
      const destination = mapping?.Properties.DestinationConfig as
        | { OnFailure: { Destination: { "Fn::GetAtt": [string] } } }
        | undefined;
      const failureQueueId = destination?.OnFailure.Destination["Fn::GetAtt"][0];
      // The failure queue refuses anything but TLS.
      const queuePolicies = template.findResources("AWS::SQS::QueuePolicy", {
        Properties: { Queues: [{ Ref: failureQueueId }] },
      });
      const denies = Object.values(queuePolicies).flatMap(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: Json[] } } }).Properties.PolicyDocument
            .Statement,
      );
      expect(denies).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    }
  });

  it("refuses, naming every one at once, entry modules that do not exist, and a malformed schedule", () => {
    // Prepare
    const caps = { ["billing" as Capability]: [fixtureRoute({})] } as Caps;
    const missingWorker = fixtureWorker({ handler: "workers/nowhere" });

    // Act + Assess
    expect(() => synth({ capabilities: caps, workers: [] })).toThrow(
      "Capabilities or workers name missing entry modules: handlers/billing/index",
    );
    expect(() => synth({ capabilities: caps, workers: [missingWorker] })).toThrow(
      "Capabilities or workers name missing entry modules: handlers/billing/index, workers/nowhere",
    );
    expect(() => synth({ workers: [fixtureWorker({ trigger: { schedule: "0 16 * * *" } })] })).toThrow(
      /cron\(\.\.\.\) or rate/,
    );
  });

  it("names the stack by stage and keeps production logs six months", () => {
    // Prepare + Act
    const { stack, template } = synth({ stage: "prod", context: PROD_CONTEXT });

    // Assess
    expect(stack.stackName).toBe("Jiayi-prod");
    template.hasResourceProperties("AWS::DynamoDB::Table", { TableName: "jiayi-prod" });
    template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 180 });
    template.allResources("AWS::Logs::LogGroup", { DeletionPolicy: "Retain" });
    const resources = deploymentResources(stack, "prod");
    for (const fn of contractsOf())
      expect(functionOf(template, fn).props.Environment.Variables, fn.name).toEqual(
        stack.resolve(environmentOf(fn, resources)),
      );
    template.allResourcesProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ STAGE: "prod", POWERTOOLS_LOG_LEVEL: "INFO" }) },
    });
  });

  it("alarms on each function's errors and throttles, each DLQ and failure queue, stream age, API 5xx and p99, backlog age", () => {
    // Prepare
    const { template } = synth({ workers: allWorkers });
    const contracts = contractsOf(capabilities, allWorkers);

    // Act
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")) as {
      Properties: Json & { AlarmActions: unknown[]; Metrics: { MetricStat?: { Metric: Json } }[] };
    }[];
    const topics = Object.keys(template.findResources("AWS::SNS::Topic"));
    /** The metric names an alarm watches, and the dimension values (resource ids) it names. */
    const watched = alarms.map((a) => ({
      metrics: a.Properties.Metrics.flatMap((m) =>
        m.MetricStat ? [String(m.MetricStat.Metric.MetricName)] : [],
      ),
      on: JSON.stringify(a.Properties.Metrics),
      threshold: a.Properties.Threshold,
    }));
    const alarmsOn = (metric: string, resourceId: string) =>
      watched.filter((w) => w.metrics.includes(metric) && w.on.includes(`"${resourceId}"`));

    // Assess: every alarm notifies the one topic.
    expect(topics).toHaveLength(1);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: topics[0] }]);
      expect(a.Properties.ComparisonOperator).toBe("GreaterThanThreshold");
    }
    for (const fn of contracts) {
      const { id } = functionOf(template, fn);
      expect(alarmsOn("Errors", id), `${fn.name} errors`).toHaveLength(1);
      expect(alarmsOn("Throttles", id), `${fn.name} throttles`).toHaveLength(1);
      expect(alarmsOn("IteratorAge", id), `${fn.name} iterator age`).toHaveLength(
        "stream" in fn.trigger ? 1 : 0,
      );
    }
    // Each queue without a consumer of its own (the DLQs, the schedule DLQ, the stream failure
    // queues) alarms on its first message; each work queue on its oldest message's age.
    const queues = template.findResources("AWS::SQS::Queue");
    for (const [id, q] of Object.entries(queues)) {
      const isWorkQueue = Boolean((q as { Properties: Json }).Properties.RedrivePolicy);
      const queueName = JSON.stringify({ "Fn::GetAtt": [id, "QueueName"] });
      const on = (metric: string) =>
        watched.filter((w) => w.metrics.includes(metric) && w.on.includes(queueName));
      if (isWorkQueue) expect(on("ApproximateAgeOfOldestMessage"), id).toHaveLength(1);
      else
        expect(
          on("ApproximateNumberOfMessagesVisible").map((w) => w.threshold),
          id,
        ).toEqual([0]);
    }
    expect(watched.filter((w) => w.metrics.includes("5xx")).map((w) => w.threshold)).toEqual([0.01]);
    expect(watched.filter((w) => w.metrics.includes("Latency"))).toHaveLength(1);
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    // The topic refuses anything but TLS.
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("subscribes the e-mail and https subscribers named in context to the alarm topic, and refuses plain http", () => {
    // Prepare
    const context = {
      alarmEmails: "ops@example.cn, oncall@example.cn",
      alarmHttpsUrls: "https://hooks.example.cn/a",
    };

    // Act
    const { template } = synth({ context });

    // Assess
    template.resourceCountIs("AWS::SNS::Subscription", 3);
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "oncall@example.cn",
    });
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "https",
      Endpoint: "https://hooks.example.cn/a",
    });
    expect(synth().template.findResources("AWS::SNS::Subscription")).toEqual({});
    expect(() => synth({ context: { alarmHttpsUrls: "http://hooks.example.cn/a" } })).toThrow(
      /not an https URL/,
    );
  });

  it("maps a regional custom domain to the API's stage when context names one, and outputs its DNS target", () => {
    // Prepare
    const context = {
      domainName: "api.example.cn",
      certificateArn: "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0000-test",
    };

    // Act
    const { template } = synth({ context });
    const without = synth().template;

    // Assess
    template.hasResourceProperties("AWS::ApiGatewayV2::DomainName", {
      DomainName: "api.example.cn",
      DomainNameConfigurations: [
        Match.objectLike({ CertificateArn: context.certificateArn, EndpointType: "REGIONAL" }),
      ],
    });
    const [domainId] = Object.keys(template.findResources("AWS::ApiGatewayV2::DomainName"));
    template.hasResource("AWS::ApiGatewayV2::ApiMapping", {
      // The stage must exist before it is mapped.
      DependsOn: [Match.stringLikeRegexp("^DefaultStage")],
      Properties: {
        ApiId: { Ref: Match.stringLikeRegexp("^Api") },
        DomainName: { Ref: domainId },
        Stage: "$default",
      },
    });
    template.hasOutput("ApiDomainTarget", {
      Value: { "Fn::GetAtt": [domainId, "RegionalDomainName"] },
    });
    without.resourceCountIs("AWS::ApiGatewayV2::DomainName", 0);
    without.resourceCountIs("AWS::ApiGatewayV2::ApiMapping", 0);
    expect(() => synth({ context: { domainName: "api.example.cn" } })).toThrow(/go together/);
  });

  it.each([
    [
      "the WeChat AppID is a placeholder",
      { wechatAppId: undefined },
      /wechatAppId is a placeholder \(wx-placeholder\)/,
    ],
    ["the AppID is not a real one", { wechatAppId: "wx-demo" }, /wechatAppId is a placeholder \(wx-demo\)/],
    ["CORS is *", { corsOrigins: undefined }, /corsOrigins is \*/],
    ["CORS lists *", { corsOrigins: "https://h5.example.cn,*" }, /corsOrigins is \*/],
    ["no domain is set", { domainName: undefined, certificateArn: undefined }, /no custom domain/],
    [
      "the notice template is missing",
      { wechatTemplateNotice: undefined },
      /wechatTemplateNotice is missing/,
    ],
    [
      "the appointment template is missing",
      { wechatTemplateAppointment: undefined },
      /wechatTemplateAppointment is missing/,
    ],
  ])("refuses a production synth when %s", (_name, change, message) => {
    // Prepare: everything production needs, but for one thing.
    const context: Json = { ...PROD_CONTEXT, ...change };
    for (const [k, v] of Object.entries(context)) if (v === undefined) delete context[k];

    // Act + Assess
    expect(() => synth({ stage: "prod", context })).toThrow(message);
    expect(() => synth({ stage: "prod", context })).toThrow(/Refusing to synthesize stage prod/);
    // The same context is fine for dev, and the full one for prod.
    expect(() => synth({ stage: "dev", context })).not.toThrow();
  });

  it("names every problem of a production synth at once", () => {
    // Prepare + Act
    const error = (() => {
      try {
        synth({ stage: "prod" });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();

    // Assess
    expect(error?.message.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(5);
    expect(() => synth({ stage: "prod", context: PROD_CONTEXT })).not.toThrow();
  });

  it("keeps dev destroyable: nothing retained, no deletion protection, no names a deleted resource keeps", () => {
    // Prepare + Act
    const { template } = synth();
    const resources = Object.entries(resourcesOf(template));

    // Assess
    for (const [id, r] of resources) {
      expect(r.DeletionPolicy ?? "Delete", id).not.toBe("Retain");
      expect(r.UpdateReplacePolicy ?? "Delete", id).not.toBe("Retain");
    }
    template.hasResourceProperties("AWS::DynamoDB::Table", { DeletionProtectionEnabled: false });
    template.hasResourceProperties("AWS::DynamoDB::Table", { TableName: Match.absent() });
    template.allResourcesProperties("AWS::SQS::Queue", { QueueName: Match.absent() });
    template.hasResourceProperties("AWS::SecretsManager::Secret", { Name: Match.absent() });
    template.resourceCountIs("AWS::KMS::Alias", 0);
    template.resourceCountIs("AWS::Backup::BackupPlan", 0);
  });

  it("backs the production table up daily and monthly with AWS Backup, into a retained vault", () => {
    // Prepare + Act
    const { template } = synth({ stage: "prod", context: PROD_CONTEXT });
    const [tableId] = Object.keys(template.findResources("AWS::DynamoDB::Table"));

    // Assess
    template.resourceCountIs("AWS::Backup::BackupPlan", 1);
    template.hasResource("AWS::Backup::BackupVault", { DeletionPolicy: "Retain" });
    template.hasResourceProperties("AWS::Backup::BackupPlan", {
      BackupPlan: {
        BackupPlanRule: Match.arrayWith([
          Match.objectLike({ RuleName: "Daily" }),
          Match.objectLike({ RuleName: "Monthly1Year" }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::Backup::BackupSelection", {
      BackupSelection: Match.objectLike({ Resources: [{ "Fn::GetAtt": [tableId, "Arn"] }] }),
    });
  });

  it.each([
    ["dev", {}],
    ["prod", PROD_CONTEXT],
  ])(
    "writes no literal arn:aws: for the China partition, alarms, domain and backup included (%s)",
    (stage, context) => {
      // Prepare + Act
      const { template } = synth({
        stage,
        env: { region: "cn-north-1" },
        context: { ...context, alarmEmails: "ops@example.cn" },
      });

      // Assess
      expect(JSON.stringify(template.toJSON()).includes("arn:aws:")).toBe(false);
    },
  );

  it("filters the projector's stream to the item types it counts, and bounds each queue worker's concurrency", () => {
    // Prepare
    const { template } = synth({ workers: allWorkers });
    const contracts = contractsOf(capabilities, allWorkers);
    const mappingOf = (fn: FunctionContract) =>
      (
        Object.values(
          template.findResources("AWS::Lambda::EventSourceMapping", {
            Properties: { FunctionName: { Ref: functionOf(template, fn).id } },
          }),
        )[0] as { Properties: Json }
      ).Properties;

    for (const fn of contracts) {
      // Act
      if ("stream" in fn.trigger) {
        const filters = mappingOf(fn).FilterCriteria as { Filters: { Pattern: string }[] } | undefined;

        // Assess: the projector's mapping lets through inserts and changes of its types only.
        if (fn.name === "statsProjector")
          expect(JSON.parse(filters?.Filters[0]?.Pattern ?? "{}")).toEqual({
            eventName: ["INSERT", "MODIFY"],
            dynamodb: { NewImage: { [TABLE.typeAttribute]: { S: [...PROJECTED_TYPES] } } },
          });
        else expect(filters, fn.name).toBeUndefined();
      } else if ("queue" in fn.trigger)
        expect(mappingOf(fn).ScalingConfig, fn.name).toEqual({ MaximumConcurrency: QUEUE_MAX_CONCURRENCY });
    }
  });

  it("gives every work queue a producer and a consumer", () => {
    // Prepare
    const contracts = contractsOf();
    const produces = { notices: "notices-queue", reminders: "reminders-queue" } as const;

    for (const queue of ["notices", "reminders"] as const) {
      // Act
      const producers = contracts.filter((fn) => fn.uses.has(produces[queue]));
      const consumers = contracts.filter((fn) => "queue" in fn.trigger && fn.trigger.queue === queue);

      // Assess
      expect(producers.length, `${queue} producers`).toBeGreaterThan(0);
      expect(consumers, `${queue} consumers`).toHaveLength(1);
    }
  });

  it("writes one JSON access-log line per request with method, route, status, latency, request id and error type", () => {
    // Prepare
    const { template } = synth();
    const stage = Object.values(template.findResources("AWS::ApiGatewayV2::Stage"))[0] as {
      Properties: { AccessLogSettings: { Format: string } };
    };

    // Act: what API Gateway writes once it substitutes the variables (numbers bare, strings quoted).
    const line = stage.Properties.AccessLogSettings.Format.replace(/"\$context\.[\w.]+"/g, '"x"')
      .replace(/\$context\.error\.messageString/g, '"x"')
      .replace(/\$context\.[\w.]+/g, "1");
    const fields = JSON.parse(line) as Json;

    // Assess
    for (const field of ["method", "routeKey", "status", "latencyMs", "requestId", "errorType"])
      expect(fields, field).toHaveProperty(field);
    expect(stage.Properties.AccessLogSettings.Format).toContain('"status":$context.status');
    expect(stage.Properties.AccessLogSettings.Format).toContain('"errorType":"$context.error.responseType"');
  });

  it("keeps dev logs one month and prod logs six months", () => {
    // Prepare + Act
    const dev = synth().template;

    // Assess (prod: see "names the stack by stage").
    dev.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
    dev.allResources("AWS::Logs::LogGroup", { DeletionPolicy: "Delete" });
  });

  it("refuses an unknown stage", () => {
    // Prepare + Act + Assess
    expect(() => synth({ stage: "staging" })).toThrow(/dev or prod/);
  });
});
