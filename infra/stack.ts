import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { App, CfnOutput, Duration, type Environment, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  ApiMapping,
  type CfnStage,
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { BackupPlan, BackupPlanRule, BackupResource } from "aws-cdk-lib/aws-backup";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { Rule, RuleTargetInput, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { FilterCriteria, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { type CfnQueue, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { StringParameter } from "aws-cdk-lib/aws-ssm";
import { AwsSolutionsChecks } from "cdk-nag";
import type { Construct } from "constructs";
import { TABLE } from "../functions/data/table.js";
import {
  type DeploymentResources,
  environmentOf,
  type FunctionContract,
  functionContracts,
  grantsOf,
  KEEP_WARM_MINUTES,
  type Resource,
  WORKER_TIMEOUT_SECONDS,
} from "../functions/deployment.js";
import { STAGE_THROTTLE } from "../functions/domain/throttling.js";
import { WARM_DETAIL_TYPE } from "../functions/lib/dispatch.js";
import type { RouteDef } from "../functions/lib/route.js";
import type { WorkerDef } from "../functions/lib/worker-def.js";
import { type Capability, capabilities } from "../functions/routes.js";
import { workers as workerTable } from "../functions/workers.js";
import { ApiFunction } from "./constructs/api-function.js";
import { JiayiMonitoring } from "./constructs/monitoring.js";
import { STREAM_FILTERS } from "./constructs/stream-filter.js";

export type Stage = "dev" | "prod";

/** Placeholders the dev stage runs with; a production synth refuses each of them. */
const PLACEHOLDER = {
  wechatAppId: "wx-placeholder",
  templates: { notice: "tmpl-health-notice", appointment: "tmpl-appointment-reminder" },
} as const;

/** What a deployment reads from CDK context (documented in README "Configuration"). */
export interface DeployContext {
  wechatAppId: string;
  wechatApiBase: string;
  corsOrigins: string[];
  /** contractResult and survey are optional: without them the app does not ask for those pushes. */
  templates: { notice: string; appointment: string; contractResult?: string; survey?: string };
  domain?: { name: string; certificateArn: string };
  alarmEmails: string[];
  alarmHttpsUrls: string[];
  /** `-c sourceMaps=true`: source-mapped stack traces, at a cold-start cost (functions/deployment.ts). */
  sourceMaps: boolean;
}

const list = (v: unknown): string[] =>
  typeof v === "string"
    ? v
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/**
 * Reads the context and, for prod, refuses a synth that would deploy something no real user can
 * reach or receive: every problem is named at once, so one correction round is enough.
 */
export function deployContext(get: (key: string) => unknown, stage: Stage): DeployContext {
  const domainName = text(get("domainName"));
  const certificateArn = text(get("certificateArn"));
  if ((domainName === undefined) !== (certificateArn === undefined))
    throw new Error("Context domainName and certificateArn go together: set both or neither");
  const context: DeployContext = {
    wechatAppId: text(get("wechatAppId")) ?? PLACEHOLDER.wechatAppId,
    wechatApiBase: text(get("wechatApiBase")) ?? "https://api.weixin.qq.com",
    corsOrigins: list(get("corsOrigins")).length ? list(get("corsOrigins")) : ["*"],
    templates: {
      notice: text(get("wechatTemplateNotice")) ?? PLACEHOLDER.templates.notice,
      appointment: text(get("wechatTemplateAppointment")) ?? PLACEHOLDER.templates.appointment,
      contractResult: text(get("wechatTemplateContractResult")),
      survey: text(get("wechatTemplateSurvey")),
    },
    domain: domainName && certificateArn ? { name: domainName, certificateArn } : undefined,
    alarmEmails: list(get("alarmEmails")),
    alarmHttpsUrls: list(get("alarmHttpsUrls")),
    sourceMaps: text(get("sourceMaps")) === "true",
  };
  if (stage !== "prod") return context;
  const problems: string[] = [];
  // A real AppID is "wx" and 16 hex digits (WeChat console → 开发管理 → 开发设置).
  if (!/^wx[0-9a-f]{16}$/.test(context.wechatAppId))
    problems.push(
      `wechatAppId is a placeholder (${context.wechatAppId}): pass -c wechatAppId=wx<16 hex digits>`,
    );
  if (context.corsOrigins.includes("*"))
    problems.push("corsOrigins is *: pass -c corsOrigins=https://<your H5 origin>[,…]");
  if (!context.domain)
    problems.push(
      "no custom domain: pass -c domainName=<ICP-filed domain> -c certificateArn=<ACM certificate in this region>",
    );
  for (const [key, value] of [
    ["wechatTemplateNotice", context.templates.notice],
    ["wechatTemplateAppointment", context.templates.appointment],
  ] as const)
    if (Object.values(PLACEHOLDER.templates).includes(value as never))
      problems.push(
        `subscribe template ${key} is missing: pass -c ${key}=<template ID from the WeChat console>`,
      );
  if (problems.length)
    throw new Error(
      `Refusing to synthesize stage prod:\n- ${problems.join("\n- ")}\n(see RUNBOOK.md "Deploy from zero")`,
    );
  return context;
}

/** Fan-out and reminder pages at once: each page pushes subscribe messages, and WeChat limits calls per AppID. */
export const QUEUE_MAX_CONCURRENCY = 5;

const FUNCTIONS_DIR = fileURLToPath(new URL("../functions/", import.meta.url));
const entryOf = (module: string) => `${FUNCTIONS_DIR}${module}.ts`;

/** `appointments` → `AppointmentsFn`, `contractRenewals` → `ContractRenewalsWorker`. */
const functionId = (fn: FunctionContract) =>
  `${fn.name.charAt(0).toUpperCase()}${fn.name.slice(1)}${"api" in fn.trigger ? "Fn" : "Worker"}`;

export interface JiayiStackProps {
  stage: Stage;
  env?: Environment;
  /** Defaults to the route table by capability; tests pass their own rows. */
  capabilities?: Partial<Record<Capability, readonly RouteDef[]>>;
  /** Defaults to the worker list; tests pass their own. */
  workers?: readonly WorkerDef[];
}

export class JiayiStack extends Stack {
  constructor(scope: Construct, id: string, props: JiayiStackProps) {
    super(scope, id, {
      env: props.env,
      description: `Jiayi family-doctor platform (${props.stage})`,
    });
    const { stage } = props;
    const prod = stage === "prod";
    const context = deployContext((key) => this.node.tryGetContext(key), stage);
    // Dev is destroyed and redeployed at will: nothing retained, no physical names that a deleted
    // resource keeps reserved (a secret's name during its recovery window, a retained table's).
    const keep = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const named = <T extends string>(name: T): T | undefined => (prod ? name : undefined);
    // Chinese Cybersecurity Law art. 21: keep network logs for at least six months.
    const logRetention = prod ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH;

    const dataKey = new Key(this, "DataKey", {
      alias: named(`alias/jiayi-${stage}-data`),
      description: "Encrypts Jiayi's root secret, from which the personal-data keys are derived",
      enableKeyRotation: true,
      removalPolicy: keep,
    });

    const table = new Table(this, "Table", {
      tableName: named(`jiayi-${stage}`),
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: prod,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE.ttlAttribute,
      // Personal identifiers are already encrypted by the application; the AWS managed key needs no
      // extra KMS grants on every function.
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: keep,
    });
    for (const index of TABLE.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    // Named one by one so no grant needs a wildcard.
    const indexArns = TABLE.indexes.map((index) => `${table.tableArn}/index/${index.name}`);

    const appSecret = new Secret(this, "AppSecret", {
      secretName: named(`jiayi/${stage}/app-secret`),
      description: "Root secret: JWT and personal-data keys are derived from it with HKDF",
      encryptionKey: dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: keep,
    });
    Validations.of(appSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Rotating the root secret changes every derived key, so stored personal data must be re-encrypted " +
        "and look-up hashes rebuilt first; rotation is a planned migration, not a schedule.",
    });

    const wechatAppId = new StringParameter(this, "WechatAppId", {
      parameterName: `/jiayi/${stage}/wechat/app-id`,
      description: "WeChat mini-program AppID",
      stringValue: context.wechatAppId,
    });
    // CloudFormation cannot create SecureString parameters: the operator puts it in, encrypted with
    // the default aws/ssm key, whose key policy already lets any caller allowed by IAM decrypt via SSM.
    const wechatSecretParam = `/jiayi/${stage}/wechat/app-secret`;
    const wechatSecretParamArn = this.formatArn({
      service: "ssm",
      resource: "parameter",
      resourceName: wechatSecretParam.slice(1),
    });

    const queueWithDlq = (id: string, name: string): { queue: Queue; dlq: Queue } => {
      const common = {
        // SQS-managed keys need no KMS grants; messages carry ids, never personal data.
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      };
      const dlq = new Queue(this, `${id}Dlq`, {
        ...common,
        queueName: named(`jiayi-${stage}-${name}-dlq`),
        retentionPeriod: Duration.days(14),
      });
      const queue = new Queue(this, id, {
        ...common,
        queueName: named(`jiayi-${stage}-${name}`),
        // AWS's advice for Lambda consumers: six times the function timeout.
        visibilityTimeout: Duration.seconds(WORKER_TIMEOUT_SECONDS * 6),
        deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
      });
      return { queue, dlq };
    };
    const notices = queueWithDlq("NoticeQueue", "notice");
    const reminders = queueWithDlq("RemindersQueue", "reminders");
    const noticeQueue = notices.queue;
    const remindersQueue = reminders.queue;
    const workQueues: Record<"notices" | "reminders", Queue> = {
      notices: noticeQueue,
      reminders: remindersQueue,
    };

    const accessLogs = new LogGroup(this, "ApiAccessLogs", {
      retention: logRetention,
      removalPolicy: keep,
    });
    const api = new HttpApi(this, "Api", {
      apiName: `jiayi-${stage}`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: context.corsOrigins,
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ["authorization", "content-type", "idempotency-key"],
        maxAge: Duration.days(1),
      },
    });
    Validations.of(api).acknowledge({
      id: "AwsSolutions-APIG4",
      reason:
        "Authorisation is done in code: each handler checks our own JWT and the route's roles before " +
        "running; public routes (health, login) need no token by design.",
    });
    // HttpApi's own default stage takes no throttling or access log settings, so we make it here.
    const apiStage = new HttpStage(this, "DefaultStage", {
      httpApi: api,
      stageName: "$default",
      autoDeploy: true,
      // Shared by every caller: sized for the stated peak in functions/domain/throttling.ts.
      throttle: { burstLimit: STAGE_THROTTLE.burst, rateLimit: STAGE_THROTTLE.rate },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          // One JSON object per request; numbers unquoted so Logs Insights can aggregate them.
          `{${Object.entries({
            requestId: '"$context.requestId"',
            requestTime: '"$context.requestTime"',
            ip: '"$context.identity.sourceIp"',
            method: '"$context.httpMethod"',
            path: '"$context.path"',
            routeKey: '"$context.routeKey"',
            status: "$context.status",
            latencyMs: "$context.responseLatency",
            integrationStatus: '"$context.integrationStatus"',
            integrationLatencyMs: '"$context.integrationLatency"',
            // Gateway-side failures (throttled, no route, integration failure) and Lambda's own error.
            errorType: '"$context.error.responseType"',
            errorMessage: "$context.error.messageString",
            integrationError: '"$context.integrationErrorMessage"',
          })
            .map(([k, v]) => `"${k}":${v}`)
            .join(",")}}`,
        ),
      },
    });

    const contracts = functionContracts(props.capabilities ?? capabilities, props.workers ?? workerTable);
    // Name every missing module at once, rather than NodejsFunction's one-at-a-time error.
    const missing = contracts.filter((fn) => !existsSync(entryOf(fn.entry))).map((fn) => fn.entry);
    if (missing.length > 0)
      throw new Error(`Capabilities or workers name missing entry modules: ${missing.join(", ")}`);

    const resources: DeploymentResources = {
      stage,
      tableName: table.tableName,
      appSecretArn: appSecret.secretArn,
      noticeQueueUrl: noticeQueue.queueUrl,
      remindersQueueUrl: remindersQueue.queueUrl,
      wechat: {
        appId: wechatAppId.stringValue,
        apiBase: context.wechatApiBase,
        secretParameter: wechatSecretParam,
        templates: context.templates,
      },
      // Debug logs may carry request details; production keeps to INFO.
      logLevel: prod ? "INFO" : "DEBUG",
      sourceMaps: context.sourceMaps,
    };
    const resourceArns: Record<Resource, string[]> = {
      table: [table.tableArn],
      indexes: indexArns,
      appSecret: [appSecret.secretArn],
      wechatSecret: [wechatSecretParamArn],
      noticeQueue: [noticeQueue.queueArn],
      remindersQueue: [remindersQueue.queueArn],
    };

    const monitored: { name: string; fn: ApiFunction; stream: boolean }[] = [];
    const failureQueues: { name: string; queue: Queue }[] = [];

    /** One function with exactly the environment and grants its contract names, and nothing more. */
    const functionFor = (fn: FunctionContract, deadLetterQueue?: Queue): ApiFunction => {
      const lambda = new ApiFunction(this, functionId(fn), {
        entry: entryOf(fn.entry),
        description: fn.entry,
        stage,
        logRetention,
        environment: environmentOf(fn, resources),
        timeout: Duration.seconds(fn.timeoutSeconds),
        deadLetterQueue,
      });
      monitored.push({ name: fn.name, fn: lambda, stream: "stream" in fn.trigger });
      for (const grant of grantsOf(fn)) {
        lambda.addToRolePolicy(
          new PolicyStatement({ actions: [...grant.actions], resources: resourceArns[grant.resource] }),
        );
      }
      if (fn.uses.has("secrets")) {
        // Secrets Manager binds every ciphertext to the secret's ARN, so this Decrypt serves that secret
        // only (and needs no kms:ViaService host name, which differs between partitions).
        lambda.addToRolePolicy(
          new PolicyStatement({
            actions: ["kms:Decrypt"],
            resources: [dataKey.keyArn],
            conditions: { StringEquals: { "kms:EncryptionContext:SecretARN": appSecret.secretArn } },
          }),
        );
      }
      return lambda;
    };

    const integrations = new Map<string, HttpLambdaIntegration>();
    const apiFunctions: ApiFunction[] = [];
    for (const fn of contracts) {
      if (!("api" in fn.trigger)) continue;
      const lambda = functionFor(fn);
      apiFunctions.push(lambda);
      // One integration per function, shared by all its routes.
      integrations.set(
        fn.name,
        // One invoke permission per function, scoped to this API, instead of one per route.
        new HttpLambdaIntegration(`${functionId(fn)}Integration`, lambda, { scopePermissionToRoute: false }),
      );
    }

    // Keep-warm: a ping to every API function every KEEP_WARM_MINUTES, so one centre's quiet spells
    // do not end in a cold start per capability (bench/REPORT.md, cold-request simulation). A missed
    // ping costs one cold start, so no retries and no dead-letter queue. A rule takes 5 targets.
    for (let i = 0; i < apiFunctions.length; i += 5) {
      new Rule(this, `KeepWarm${i / 5}`, {
        description: `Keep-warm ping of the API functions every ${KEEP_WARM_MINUTES} minutes`,
        schedule: Schedule.rate(Duration.minutes(KEEP_WARM_MINUTES)),
        targets: apiFunctions.slice(i, i + 5).map(
          (fn) =>
            new LambdaFunction(fn, {
              event: RuleTargetInput.fromObject({
                "detail-type": WARM_DETAIL_TYPE,
                source: "jiayi",
                detail: {},
              }),
              retryAttempts: 0,
            }),
        ),
      });
    }

    // Scheduled runs that fail for good (EventBridge cannot deliver, or the function still fails after
    // Lambda's two async retries) land here, one queue for all scheduled workers; made only when needed.
    let scheduleDlq: Queue | undefined;
    const scheduleDlqOnce = () => {
      if (!scheduleDlq) {
        scheduleDlq = new Queue(this, "ScheduleDlq", {
          queueName: named(`jiayi-${stage}-schedule-dlq`),
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        failureQueues.push({ name: "schedule-dlq", queue: scheduleDlq });
      }
      return scheduleDlq;
    };
    for (const worker of contracts) {
      const id = functionId(worker);
      if ("api" in worker.trigger) continue;
      if ("schedule" in worker.trigger) {
        const { schedule } = worker.trigger;
        // EventBridge rules, not EventBridge Scheduler, whose availability in the China regions is unsure.
        if (!/^(cron|rate)\(.+\)$/.test(schedule))
          throw new Error(`Worker ${worker.name}: schedule must be cron(...) or rate(...), not ${schedule}`);
        const dlq = scheduleDlqOnce();
        const fn = functionFor(worker, dlq);
        new Rule(this, `${id}Schedule`, {
          description: `${worker.name}: ${worker.summary}`.slice(0, 512),
          schedule: Schedule.expression(schedule),
          targets: [
            new LambdaFunction(fn, {
              retryAttempts: 4,
              maxEventAge: Duration.hours(2),
              deadLetterQueue: dlq,
            }),
          ],
        });
      } else if ("stream" in worker.trigger) {
        const fn = functionFor(worker);
        // Records that still fail after 5 retries (each batch halved on error, down to the failing
        // record) are described in this queue; the record itself stays in the stream for 24 hours.
        const failures = new Queue(this, `${id}Failures`, {
          queueName: named(`jiayi-${stage}-${worker.name}-failures`),
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        failureQueues.push({ name: `${worker.name}-failures`, queue: failures });
        // Binding grants the stream read (DescribeStream, GetRecords, GetShardIterator on this
        // table's stream, ListStreams) and SendMessage to the failure queue; nothing else.
        const filter = STREAM_FILTERS[worker.name];
        fn.addEventSource(
          new DynamoEventSource(table, {
            // A replaced mapping starts from the oldest record still in the stream (24 hours), not
            // from now: nothing written meanwhile is lost, and the projector's per-record markers
            // (kept 7 days) make the records it already counted count nothing.
            startingPosition: StartingPosition.TRIM_HORIZON,
            // Only the records the worker reads (the projector: its item types); same filter locally.
            filters: filter ? [FilterCriteria.filter(filter)] : undefined,
            batchSize: 100,
            bisectBatchOnError: true,
            reportBatchItemFailures: true,
            retryAttempts: 5,
            onFailure: new SqsDlq(failures),
          }),
        );
        Validations.of(failures).acknowledge({
          id: "AwsSolutions-SQS3",
          reason:
            "This queue is itself a dead-letter destination: the stream mapping's on-failure queue, where " +
            "records that failed every retry are described for an operator to replay.",
        });
        const policy = fn.role?.node.tryFindChild("DefaultPolicy");
        if (policy)
          Validations.of(policy).acknowledge({
            id: "AwsSolutions-IAM5[Resource::*]",
            reason:
              "dynamodb:ListStreams, which Lambda's stream polling needs, has no resource-level permissions; " +
              "the stream reads themselves (DescribeStream, GetRecords, GetShardIterator) name this table's stream.",
          });
      } else {
        const queue = workQueues[worker.trigger.queue];
        // Lambda needs the function timeout within the queue's visibility timeout; AWS advises six times.
        const visibility = (queue.node.defaultChild as CfnQueue).visibilityTimeout;
        if (visibility === undefined || visibility < worker.timeoutSeconds * 6)
          throw new Error(`Queue of worker ${worker.name} needs a visibility timeout of 6 × its timeout`);
        const fn = functionFor(worker);
        // Failed messages go back to the queue one by one and, after 5 receives, to its dead-letter queue.
        fn.addEventSource(
          new SqsEventSource(queue, {
            batchSize: 10,
            maxBatchingWindow: Duration.seconds(5),
            reportBatchItemFailures: true,
            maxConcurrency: QUEUE_MAX_CONCURRENCY,
          }),
        );
      }
    }

    const routeSettings: Record<string, { ThrottlingBurstLimit: number; ThrottlingRateLimit: number }> = {};
    for (const { route, capability } of contracts.flatMap((fn) =>
      fn.routes.map((route) => ({ route, capability: fn.name })),
    )) {
      const integration = integrations.get(capability);
      if (route.localOnly || !integration) continue;
      const added = api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
      if (route.throttle) {
        routeSettings[`${route.method} ${route.path}`] = {
          ThrottlingBurstLimit: route.throttle.burst,
          ThrottlingRateLimit: route.throttle.rate,
        };
        // Route settings name route keys that must exist before the stage refers to them.
        for (const r of added) apiStage.node.addDependency(r);
      }
    }
    // Platform-wide limits on the costlier routes (bookings, notices), from the route rows, which read
    // functions/domain/throttling.ts; the rest get the stage default.
    (apiStage.node.defaultChild as CfnStage).routeSettings = routeSettings;

    if (context.domain) {
      // Regional only: the China regions have no edge-optimized endpoints; the certificate is ACM's
      // in this same region.
      const domain = new DomainName(this, "ApiDomain", {
        domainName: context.domain.name,
        certificate: Certificate.fromCertificateArn(this, "ApiCertificate", context.domain.certificateArn),
      });
      new ApiMapping(this, "ApiDomainMapping", { api, domainName: domain, stage: apiStage });
      new CfnOutput(this, "ApiDomainTarget", {
        description: `CNAME ${context.domain.name} to this (the regional API Gateway domain)`,
        value: domain.regionalDomainName,
      });
    }

    if (prod) {
      // PITR covers 35 days; the plan keeps daily backups 5 weeks and monthly ones a year, in a vault
      // that outlives the stack.
      const plan = new BackupPlan(this, "Backup", {
        backupPlanRules: [BackupPlanRule.daily(), BackupPlanRule.monthly1Year()],
      });
      const selection = plan.addSelection("Table", { resources: [BackupResource.fromDynamoDbTable(table)] });
      const backupRole = selection.node.tryFindChild("Role");
      if (backupRole)
        Validations.of(backupRole).acknowledge({
          id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]",
          reason:
            "AWS Backup's own service-role policy is what AWS documents for backup jobs and keeps current as " +
            "the service adds actions; the role can be assumed only by backup.amazonaws.com.",
        });
    }

    new JiayiMonitoring(this, "Monitoring", {
      stage,
      api,
      functions: monitored,
      workQueues: [
        { name: "notice", queue: noticeQueue, dlq: notices.dlq },
        { name: "reminders", queue: remindersQueue, dlq: reminders.dlq },
      ],
      failureQueues,
      emails: context.alarmEmails,
      httpsUrls: context.alarmHttpsUrls,
    });

    new CfnOutput(this, "ApiUrl", { value: apiStage.url });
    new CfnOutput(this, "TableName", { value: table.tableName });
    // Names the operator's commands take (npm run ops -- redrive <queue>): generated in dev.
    for (const [id, queue] of [
      ["NoticeDlqName", notices.dlq],
      ["RemindersDlqName", reminders.dlq],
    ] as const)
      new CfnOutput(this, id, { value: queue.queueName });
  }
}

/**
 * The whole app: one stack for the stage in context `stage` (dev | prod), checked by cdk-nag's
 * AwsSolutions pack at synth. Tests pass `aws:cdk:bundling-stacks: []` to skip esbuild.
 */
export function buildApp(
  options: {
    context?: Record<string, unknown>;
    env?: Environment;
    capabilities?: Partial<Record<Capability, readonly RouteDef[]>>;
    workers?: readonly WorkerDef[];
  } = {},
): { app: App; stack: JiayiStack } {
  const app = new App({ context: options.context });
  const stage: unknown = app.node.tryGetContext("stage") ?? "dev";
  if (stage !== "dev" && stage !== "prod")
    throw new Error(`Context "stage" must be dev or prod, not ${stage}`);
  const stack = new JiayiStack(app, `Jiayi-${stage}`, {
    stage,
    env: options.env,
    capabilities: options.capabilities,
    workers: options.workers,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
