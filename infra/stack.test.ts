import type { Environment } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { TABLE } from "../functions/data/table.js";
import type { RouteDef } from "../functions/lib/route.js";
import type { WorkerDef } from "../functions/lib/worker-def.js";
import { routes } from "../functions/routes.js";
import { workers as workerList } from "../functions/workers.js";
import { WORKER_TIMEOUT } from "./constructs/api-function.js";
import { buildApp } from "./stack.js";

type Json = Record<string, unknown>;
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

const DATA_READ = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"];
const DATA_WRITE = [
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
];
/** Every DynamoDB action that touches items, granted or not: none may ever apply to Resource "*". */
const DATA_ACTIONS = [
  ...DATA_READ,
  ...DATA_WRITE,
  "dynamodb:Scan",
  "dynamodb:PartiQLSelect",
  "dynamodb:GetRecords",
];

function synth(
  options: {
    stage?: string;
    env?: Environment;
    routes?: readonly RouteDef[];
    workers?: readonly WorkerDef[];
  } = {},
) {
  const { app, stack } = buildApp({
    context: { stage: options.stage ?? "dev", "aws:cdk:bundling-stacks": [] },
    env: options.env,
    routes: options.routes,
    workers: options.workers,
  });
  return { app, stack, template: Template.fromStack(stack) };
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

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

interface FunctionResource {
  Properties: {
    Description: string;
    Timeout: number;
    Role: { "Fn::GetAtt": [string, string] };
    Environment: { Variables: Json };
    DeadLetterConfig?: { TargetArn: unknown };
  };
}

/** The environment and policy statements of the function with logical id `logicalId`. */
function statementsOfFunction(template: Template, logicalId: string): { env: Json; statements: Statement[] } {
  const fn = template.toJSON().Resources[logicalId] as FunctionResource | undefined;
  expect(fn, `function ${logicalId}`).toBeDefined();
  const roleId = (fn as FunctionResource).Properties.Role["Fn::GetAtt"][0];
  const statements = statementsOf(template, { Properties: { Roles: [{ Ref: roleId }] } });
  return { env: (fn as FunctionResource).Properties.Environment.Variables, statements };
}

/** The policy statements of the function serving `handler` (its Description). */
function functionStatements(template: Template, handler: string): { env: Json; statements: Statement[] } {
  const fns = template.findResources("AWS::Lambda::Function", { Properties: { Description: handler } });
  const logicalId = Object.keys(fns)[0];
  expect(logicalId, `function for ${handler}`).toBeDefined();
  return statementsOfFunction(template, logicalId as string);
}

const workers: readonly WorkerDef[] = workerList;
const scheduled = (ws: readonly WorkerDef[]) => ws.filter((w) => "schedule" in w.trigger);
/** The CloudFormation logical id prefix of each work queue, by the name workers use. */
const QUEUE_ID = { notices: "NoticeQueue", reminders: "RemindersQueue" } as const;

/**
 * The logical ids of the functions a worker's trigger invokes: the targets of the rules with its
 * schedule, or the functions mapped to its queue; only those serving its handler.
 */
function workerFunctionIds(template: Template, worker: WorkerDef): string[] {
  const trigger = worker.trigger;
  const ids =
    "schedule" in trigger
      ? Object.values(
          template.findResources("AWS::Events::Rule", {
            Properties: { ScheduleExpression: trigger.schedule },
          }),
        ).flatMap((r) =>
          (
            r as { Properties: { Targets: { Arn: { "Fn::GetAtt": [string, string] } }[] } }
          ).Properties.Targets.map((t) => t.Arn["Fn::GetAtt"][0]),
        )
      : Object.values(
          template.findResources("AWS::Lambda::EventSourceMapping", {
            Properties: {
              EventSourceArn:
                "stream" in trigger
                  ? { "Fn::GetAtt": [Match.stringLikeRegexp("^Table[0-9A-F]{8}$"), "StreamArn"] }
                  : {
                      "Fn::GetAtt": [
                        Match.stringLikeRegexp(`^${QUEUE_ID[trigger.queue]}[0-9A-F]{8}$`),
                        "Arn",
                      ],
                    },
            },
          }),
        ).map((m) => (m as { Properties: { FunctionName: { Ref: string } } }).Properties.FunctionName.Ref);
  const resources = template.toJSON().Resources as Record<string, FunctionResource>;
  return ids.filter((id) => resources[id]?.Properties.Description === worker.handler);
}

const deployed: readonly RouteDef[] = routes.filter((r: RouteDef) => !r.localOnly);
/** One function per deployed handler module, and one per worker. */
const functionCount = new Set(deployed.map((r) => r.handler)).size + workers.length;

const fixtureRoute = (over: Partial<RouteDef>): RouteDef => ({
  operationId: "fixture",
  method: "POST",
  path: "/v1/fixture",
  summary: "fixture",
  auth: "public",
  handler: "handlers/platform/health",
  status: 200,
  response: null,
  data: "none",
  ...over,
});

const fixtureWorker = (over: Partial<WorkerDef>): WorkerDef => ({
  name: "fixtureWorker",
  summary: "fixture",
  handler: "workers/contract-renewals",
  trigger: { queue: "reminders" },
  data: "read",
  ...over,
});

/** Every kind of worker at once: each trigger, each data level, each extra need. */
const fixtureWorkers: readonly WorkerDef[] = [
  fixtureWorker({ name: "hourlySweep", trigger: { schedule: "rate(1 hour)" }, uses: ["secrets"] }),
  fixtureWorker({
    name: "noticeSender",
    handler: "handlers/platform/health",
    trigger: { queue: "notices" },
    data: "readwrite",
    uses: ["secrets", "wechat"],
  }),
  fixtureWorker({ name: "reminderFanout", trigger: { queue: "reminders" }, uses: ["queue"] }),
  fixtureWorker({ name: "streamProjection", trigger: { stream: "table" }, data: "readwrite" }),
];

// The first synth loads aws-cdk-lib and can pass vitest's 5 s default on a busy machine.
describe("JiayiStack", { timeout: 30_000 }, () => {
  it("keeps the table safe: PITR, deletion protection, TTL, stream, retained", () => {
    // Prepare
    const { template } = synth();

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

  it("grants no wildcard action and no DynamoDB data action on Resource *", () => {
    // Prepare: every kind of need at once, so every grant path is in the template.
    const { template } = synth({
      routes: [
        ...routes,
        fixtureRoute({ auth: "user", data: "readwrite", uses: ["secrets", "wechat", "queue"] }),
      ],
      workers: [...workers, ...fixtureWorkers],
    });

    // Act
    const statements = statementsOf(template);

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      const actions = actionsOf(s);
      expect(actions).not.toContain("*");
      expect(actions.filter((a) => a.endsWith(":*"))).toEqual([]);
      const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
      if (actions.some((a) => DATA_ACTIONS.includes(a))) expect(resources).not.toContain("*");
    }
  });

  it("gives each function exactly the access its routes declare", () => {
    // Prepare
    const { template } = synth();
    const handlers = [...new Set(deployed.map((r) => r.handler))];

    for (const handler of handlers) {
      const served = deployed.filter((r) => r.handler === handler);
      const data = served.some((r) => r.data === "readwrite")
        ? "readwrite"
        : served.some((r) => r.data === "read")
          ? "read"
          : "none";
      const uses = (u: "secrets" | "wechat" | "queue") => served.some((r) => r.uses?.includes(u));
      const secrets = uses("secrets") || served.some((r) => r.auth !== "public");

      // Act
      const { env, statements } = functionStatements(template, handler);
      const dynamoActions = [
        ...new Set(statements.flatMap(actionsOf).filter((a) => a.startsWith("dynamodb:"))),
      ];

      // Assess
      const expected = data === "none" ? [] : data === "read" ? DATA_READ : [...DATA_READ, ...DATA_WRITE];
      expect(dynamoActions.sort(), handler).toEqual([...expected].sort());
      expect("APP_SECRET_ARN" in env, `${handler} APP_SECRET_ARN`).toBe(secrets);
      expect("NOTICE_QUEUE_URL" in env, `${handler} NOTICE_QUEUE_URL`).toBe(uses("queue"));
      expect("WECHAT_SECRET_PARAM" in env, `${handler} WECHAT_SECRET_PARAM`).toBe(uses("wechat"));
      expect(
        statements.some((s) => actionsOf(s).includes("sqs:SendMessage")),
        handler,
      ).toBe(uses("queue"));
    }
  });

  it("grants secrets, queue and WeChat access to exactly the named resources", () => {
    // Prepare
    const handler = "handlers/platform/health";
    const { template, stack } = synth({
      routes: [fixtureRoute({ handler, auth: ["doctor"], data: "readwrite", uses: ["queue", "wechat"] })],
    });

    // Act
    const { env, statements } = functionStatements(template, handler);
    const find = (action: string) => statements.filter((s) => actionsOf(s).includes(action));

    // Assess
    expect(env).toMatchObject({
      APP_SECRET_ARN: { Ref: expect.stringMatching(/AppSecret/) },
      WECHAT_APPID: expect.anything(),
      WECHAT_API_BASE: "https://api.weixin.qq.com",
      WECHAT_SECRET_PARAM: "/jiayi/dev/wechat/app-secret",
      NOTICE_QUEUE_URL: expect.anything(),
    });
    const indexQuery = find("dynamodb:Query").flatMap((s) =>
      Array.isArray(s.Resource) ? s.Resource : [s.Resource],
    );
    expect(JSON.stringify(indexQuery)).toContain("/index/gsi1");
    expect(find("secretsmanager:GetSecretValue")).toHaveLength(1);
    expect(find("kms:Decrypt")[0]?.Condition).toMatchObject({
      StringEquals: { "kms:EncryptionContext:SecretARN": { Ref: expect.stringMatching(/AppSecret/) } },
    });
    expect(stack.resolve(find("ssm:GetParameter")[0]?.Resource)).toMatchObject({
      "Fn::Join": ["", expect.arrayContaining([":parameter/jiayi/dev/wechat/app-secret"])],
    });
    expect(JSON.stringify(find("sqs:SendMessage")[0]?.Resource)).toContain("NoticeQueue");
  });

  it("serves every deployed route and nothing else", () => {
    // Prepare
    const { template } = synth();

    // Act
    const routeKeys = Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map(
      (r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );

    // Assess
    expect(routeKeys.sort()).toEqual(deployed.map((r) => `${r.method} ${r.path}`).sort());
  });

  it("never deploys a localOnly route or its function", () => {
    // Prepare: devLogin's module need not exist, since it is never bundled.
    const devLogin = fixtureRoute({
      operationId: "devLogin",
      path: "/v1/dev/login",
      handler: "handlers/dev/login",
      localOnly: true,
    });

    // Act
    const { template } = synth({ routes: [...routes, devLogin] });

    // Assess
    for (const route of [...routes.filter((r: RouteDef) => r.localOnly), devLogin]) {
      template.resourcePropertiesCountIs(
        "AWS::ApiGatewayV2::Route",
        { RouteKey: `${route.method} ${route.path}` },
        0,
      );
      template.resourcePropertiesCountIs("AWS::Lambda::Function", { Description: route.handler }, 0);
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
    const streamWorkers = workers.filter((w) => "stream" in w.trigger).length;
    expect(Object.keys(queues)).toHaveLength((scheduled(workers).length > 0 ? 5 : 4) + streamWorkers);
    expect(withDlq).toHaveLength(2);
    for (const q of withDlq) {
      expect((q as { Properties: Json }).Properties.RedrivePolicy).toMatchObject({
        maxReceiveCount: 5,
        deadLetterTargetArn: { "Fn::GetAtt": [expect.stringMatching(/Dlq/), "Arn"] },
      });
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

  it("runs every function on nodejs22.x arm64 with the fixed defaults", () => {
    // Prepare
    const { template } = synth();

    // Act
    const fns = Object.values(template.findResources("AWS::Lambda::Function"));

    // Assess
    expect(fns.length).toBe(functionCount);
    const workerIds = new Set(workers.flatMap((w) => workerFunctionIds(template, w)));
    expect(workerIds.size).toBe(workers.length);
    for (const [id, fn] of Object.entries(template.findResources("AWS::Lambda::Function")))
      expect((fn as FunctionResource).Properties.Timeout, id).toBe(
        workerIds.has(id) ? WORKER_TIMEOUT.toSeconds() : 10,
      );
    template.allResourcesProperties("AWS::Lambda::Function", {
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      MemorySize: 512,
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({
          NODE_OPTIONS: "--enable-source-maps",
          POWERTOOLS_SERVICE_NAME: "jiayi",
          POWERTOOLS_LOG_LEVEL: "DEBUG",
          STAGE: "dev",
          TABLE_NAME: { Ref: Match.stringLikeRegexp("Table") },
        }),
      },
    });
    // Own role per function, no AWS managed policy (AWSLambdaBasicExecutionRole logs to any group).
    template.allResourcesProperties("AWS::IAM::Role", { ManagedPolicyArns: Match.absent() });
  });

  it("throttles the API by default, logs access and answers CORS preflight", () => {
    // Prepare
    const { template } = synth();

    // Act + Assess
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp("requestId") },
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: Match.objectLike({
        AllowHeaders: ["authorization", "content-type", "idempotency-key"],
      }),
    });
    template.hasOutput("ApiUrl", Match.anyValue());
    template.hasOutput("TableName", Match.anyValue());
  });

  it("throttles each route that names a limit more tightly than the stage default", () => {
    // Prepare
    const { template } = synth();
    const limited = routes.filter((r) => "throttle" in r && r.throttle && !("localOnly" in r && r.localOnly));

    // Act
    const stage = Object.values(template.findResources("AWS::ApiGatewayV2::Stage"))[0] as {
      Properties: {
        RouteSettings?: Record<string, { ThrottlingBurstLimit: number; ThrottlingRateLimit: number }>;
      };
      DependsOn?: string[];
    };

    // Assess
    expect(limited.length).toBeGreaterThan(0);
    for (const route of limited) {
      const throttle = (route as { throttle: { rate: number; burst: number } }).throttle;
      expect(stage.Properties.RouteSettings?.[`${route.method} ${route.path}`]).toEqual({
        ThrottlingBurstLimit: throttle.burst,
        ThrottlingRateLimit: throttle.rate,
      });
    }
    expect(stage.DependsOn?.length ?? 0).toBeGreaterThanOrEqual(limited.length);
  });

  it("passes cdk-nag's AwsSolutions checks", () => {
    // Prepare
    const { app } = synth();

    // Act
    const report = new AwsSolutionsChecks().validateScope(app);

    // Assess
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
  });

  it("gives every cdk-nag acknowledgement a written reason", () => {
    // Prepare
    const { app } = synth();

    // Act
    const acks = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === "aws:cdk:acknowledged-rules"))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));

    // Assess
    const streamWorkers = workers.filter((w) => "stream" in w.trigger).length;
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
    const { template } = synth({
      env,
      routes: [...routes, fixtureRoute({ auth: "user", uses: ["wechat", "queue"] })],
      workers: [...workers, ...fixtureWorkers],
    });

    // Act
    const json = JSON.stringify(template.toJSON());

    // Assess
    expect(json.includes("arn:aws:"), "a literal arn:aws: in the template").toBe(false);
    expect(json).toContain('"arn:",{"Ref":"AWS::Partition"}');
  });

  it.each([
    ["the worker list", workers],
    ["every kind of worker", [...workers, ...fixtureWorkers]],
  ])("runs each scheduled worker from an EventBridge rule with retries and a DLQ (%s)", (_name, list) => {
    // Prepare
    const { template } = synth({ workers: list });

    for (const worker of scheduled(list)) {
      // Act
      const rules = template.findResources("AWS::Events::Rule", {
        Properties: { ScheduleExpression: (worker.trigger as { schedule: string }).schedule },
      });
      const fnIds = workerFunctionIds(template, worker);

      // Assess
      expect(Object.keys(rules), worker.name).toHaveLength(1);
      expect(fnIds, worker.name).toHaveLength(1);
      const [rule] = Object.values(rules) as { Properties: Json }[];
      expect(rule?.Properties, worker.name).toMatchObject({
        State: "ENABLED",
        Targets: [
          {
            Arn: { "Fn::GetAtt": [fnIds[0], "Arn"] },
            RetryPolicy: {
              MaximumRetryAttempts: expect.any(Number),
              MaximumEventAgeInSeconds: expect.any(Number),
            },
            DeadLetterConfig: { Arn: { "Fn::GetAtt": [expect.stringMatching(/^ScheduleDlq/), "Arn"] } },
          },
        ],
      });
      // Failures inside the function (after Lambda's async retries) reach the same queue.
      const fn = template.toJSON().Resources[fnIds[0] as string] as FunctionResource;
      expect(fn.Properties.DeadLetterConfig?.TargetArn).toEqual({
        "Fn::GetAtt": [expect.stringMatching(/^ScheduleDlq/), "Arn"],
      });
      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        FunctionName: { "Fn::GetAtt": [fnIds[0], "Arn"] },
      });
    }
    template.resourceCountIs("AWS::Events::Rule", scheduled(list).length);
    // Only EventBridge rules: Scheduler's availability in the China regions is unsure.
    template.resourceCountIs("AWS::Scheduler::Schedule", 0);
  });

  it("feeds each queue worker from its queue with partial batch failures", () => {
    // Prepare: the worker list may have no queue worker yet, so the fixtures bring some.
    const list = [...workers, ...fixtureWorkers];
    const { template } = synth({ workers: list });
    const queueWorkers = list.filter((w) => "queue" in w.trigger);
    expect(queueWorkers.length).toBeGreaterThan(0);

    for (const worker of queueWorkers) {
      // Act
      const fnIds = workerFunctionIds(template, worker);

      // Assess
      expect(fnIds, worker.name).toHaveLength(1);
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        FunctionName: { Ref: fnIds[0] },
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: Match.anyValue(),
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
      const { statements } = statementsOfFunction(template, fnIds[0] as string);
      const receive = statements.find((s) => actionsOf(s).includes("sqs:ReceiveMessage"));
      expect(receive?.Resource, worker.name).toEqual({
        "Fn::GetAtt": [
          expect.stringMatching(
            new RegExp(`^${QUEUE_ID[(worker.trigger as { queue: "notices" }).queue]}[0-9A-F]{8}$`),
          ),
          "Arn",
        ],
      });
    }
    template.resourceCountIs(
      "AWS::Lambda::EventSourceMapping",
      queueWorkers.length + list.filter((w) => "stream" in w.trigger).length,
    );
    // Lambda's advice: the visibility timeout at least six times the consumer's timeout.
    for (const queue of Object.values(
      template.findResources("AWS::SQS::Queue", { Properties: { RedrivePolicy: Match.anyValue() } }),
    ))
      expect(
        (queue as { Properties: { VisibilityTimeout: number } }).Properties.VisibilityTimeout,
      ).toBeGreaterThanOrEqual(6 * WORKER_TIMEOUT.toSeconds());
  });

  it("gives each worker exactly the access it declares", () => {
    // Prepare
    const list = [...workers, ...fixtureWorkers];
    const { template } = synth({ workers: list });

    for (const worker of list) {
      const uses = (u: "secrets" | "wechat" | "queue") => worker.uses?.includes(u) ?? false;
      const [fnId] = workerFunctionIds(template, worker);

      // Act
      const { env, statements } = statementsOfFunction(template, fnId as string);
      const dynamoActions = [
        ...new Set(statements.flatMap(actionsOf).filter((a) => a.startsWith("dynamodb:"))),
      ];
      const sendTo = statements
        .filter((s) => actionsOf(s).includes("sqs:SendMessage"))
        .map((s) => JSON.stringify(s.Resource));

      // Assess
      // A stream worker also reads the table's stream (the event source mapping's grant).
      const streamRead =
        "stream" in worker.trigger
          ? [
              "dynamodb:DescribeStream",
              "dynamodb:GetRecords",
              "dynamodb:GetShardIterator",
              "dynamodb:ListStreams",
            ]
          : [];
      const expected = [
        ...(worker.data === "read" ? DATA_READ : [...DATA_READ, ...DATA_WRITE]),
        ...streamRead,
      ];
      expect(dynamoActions.sort(), worker.name).toEqual([...expected].sort());
      expect("APP_SECRET_ARN" in env, `${worker.name} APP_SECRET_ARN`).toBe(uses("secrets"));
      expect(
        statements.some((s) => actionsOf(s).includes("secretsmanager:GetSecretValue")),
        worker.name,
      ).toBe(uses("secrets"));
      expect("NOTICE_QUEUE_URL" in env, `${worker.name} NOTICE_QUEUE_URL`).toBe(uses("queue"));
      expect("WECHAT_SECRET_PARAM" in env, `${worker.name} WECHAT_SECRET_PARAM`).toBe(uses("wechat"));
      expect(
        sendTo.some((r) => r.includes("NoticeQueue")),
        worker.name,
      ).toBe(uses("queue"));
      expect(
        sendTo.some((r) => r.includes("ScheduleDlq")),
        worker.name,
      ).toBe("schedule" in worker.trigger);
      expect(
        sendTo.some((r) => r.includes("Failures")),
        worker.name,
      ).toBe("stream" in worker.trigger);
      expect(sendTo.length, worker.name).toBe(
        Number(uses("queue")) + Number("schedule" in worker.trigger) + Number("stream" in worker.trigger),
      );
    }
  });

  it("feeds each stream worker from the table's stream, retrying by halves, failures to an SSL-only queue", () => {
    // Prepare: the fixtures bring a stream worker whatever the worker list holds.
    const list = [...workers, ...fixtureWorkers];
    const { template } = synth({ workers: list });
    const streamWorkers = list.filter((w) => "stream" in w.trigger);
    expect(streamWorkers.length).toBeGreaterThan(0);

    for (const worker of streamWorkers) {
      // Act
      const fnIds = workerFunctionIds(template, worker);

      // Assess
      expect(fnIds, worker.name).toHaveLength(1);
      const mappings = template.findResources("AWS::Lambda::EventSourceMapping", {
        Properties: { FunctionName: { Ref: fnIds[0] } },
      });
      const [mapping] = Object.values(mappings) as { Properties: Json }[];
      expect(mapping?.Properties, worker.name).toMatchObject({
        StartingPosition: "LATEST",
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
      // Stream reads on this table's stream only (ListStreams has no resource to name).
      const { statements } = statementsOfFunction(template, fnIds[0] as string);
      const streamRead = statements.filter((s) =>
        actionsOf(s).some((a) => a.startsWith("dynamodb:GetRecords")),
      );
      expect(streamRead, worker.name).toHaveLength(1);
      expect(actionsOf(streamRead[0] as Statement).sort()).toEqual(
        ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"].sort(),
      );
      expect(streamRead[0]?.Resource).toEqual({
        "Fn::GetAtt": [expect.stringMatching(/^Table[0-9A-F]{8}$/), "StreamArn"],
      });
      const anyStar = statements.filter((s) => s.Resource === "*").flatMap(actionsOf);
      expect(
        anyStar.every((a) => a === "dynamodb:ListStreams"),
        worker.name,
      ).toBe(true);
    }
  });

  it("passes cdk-nag's AwsSolutions checks with every kind of worker", () => {
    // Prepare
    const { app } = synth({ workers: [...workers, ...fixtureWorkers] });

    // Act
    const report = new AwsSolutionsChecks().validateScope(app);

    // Assess
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}`)).toEqual([]);
  });

  it("refuses a worker with a missing module or a malformed schedule", () => {
    // Prepare + Act + Assess
    expect(() => synth({ workers: [fixtureWorker({ handler: "workers/nowhere" })] })).toThrow(
      /missing handler modules: workers\/nowhere/,
    );
    expect(() => synth({ workers: [fixtureWorker({ trigger: { schedule: "0 16 * * *" } })] })).toThrow(
      /cron\(\.\.\.\) or rate/,
    );
  });

  it("names the stack by stage and keeps production logs six months", () => {
    // Prepare + Act
    const { stack, template } = synth({ stage: "prod" });

    // Assess
    expect(stack.stackName).toBe("Jiayi-prod");
    template.hasResourceProperties("AWS::DynamoDB::Table", { TableName: "jiayi-prod" });
    template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 180 });
    template.allResources("AWS::Logs::LogGroup", { DeletionPolicy: "Retain" });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ STAGE: "prod", POWERTOOLS_LOG_LEVEL: "INFO" }) },
    });
  });

  it("refuses an unknown stage", () => {
    // Prepare + Act + Assess
    expect(() => synth({ stage: "staging" })).toThrow(/dev or prod/);
  });
});
