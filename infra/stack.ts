import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { App, CfnOutput, Duration, type Environment, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { StartingPosition } from "aws-cdk-lib/aws-lambda";
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
  type Resource,
  WORKER_TIMEOUT_SECONDS,
} from "../functions/deployment.js";
import { STAGE_THROTTLE } from "../functions/domain/throttling.js";
import type { RouteDef } from "../functions/lib/route.js";
import type { WorkerDef } from "../functions/lib/worker-def.js";
import { type Capability, capabilities } from "../functions/routes.js";
import { workers as workerTable } from "../functions/workers.js";
import { ApiFunction } from "./constructs/api-function.js";

export type Stage = "dev" | "prod";

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
    // Chinese Cybersecurity Law art. 21: keep network logs for at least six months.
    const logRetention = prod ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH;

    const dataKey = new Key(this, "DataKey", {
      alias: `alias/jiayi-${stage}-data`,
      description: "Encrypts Jiayi's root secret, from which the personal-data keys are derived",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const table = new Table(this, "Table", {
      tableName: `jiayi-${stage}`,
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE.ttlAttribute,
      // Personal identifiers are already encrypted by the application; the AWS managed key needs no
      // extra KMS grants on every function.
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
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
      secretName: `jiayi/${stage}/app-secret`,
      description: "Root secret: JWT and personal-data keys are derived from it with HKDF",
      encryptionKey: dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
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
      stringValue: this.node.tryGetContext("wechatAppId") ?? "wx-placeholder",
    });
    // CloudFormation cannot create SecureString parameters: the operator puts it in, encrypted with
    // the default aws/ssm key, whose key policy already lets any caller allowed by IAM decrypt via SSM.
    const wechatSecretParam = `/jiayi/${stage}/wechat/app-secret`;
    const wechatSecretParamArn = this.formatArn({
      service: "ssm",
      resource: "parameter",
      resourceName: wechatSecretParam.slice(1),
    });

    const queueWithDlq = (id: string, name: string): Queue => {
      const common = {
        // SQS-managed keys need no KMS grants; messages carry ids, never personal data.
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      };
      const dlq = new Queue(this, `${id}Dlq`, {
        ...common,
        queueName: `jiayi-${stage}-${name}-dlq`,
        retentionPeriod: Duration.days(14),
      });
      return new Queue(this, id, {
        ...common,
        queueName: `jiayi-${stage}-${name}`,
        // AWS's advice for Lambda consumers: six times the function timeout.
        visibilityTimeout: Duration.seconds(WORKER_TIMEOUT_SECONDS * 6),
        deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
      });
    };
    const noticeQueue = queueWithDlq("NoticeQueue", "notice");
    const remindersQueue = queueWithDlq("RemindersQueue", "reminders");
    const workQueues: Record<"notices" | "reminders", Queue> = {
      notices: noticeQueue,
      reminders: remindersQueue,
    };

    const accessLogs = new LogGroup(this, "ApiAccessLogs", {
      retention: logRetention,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const api = new HttpApi(this, "Api", {
      apiName: `jiayi-${stage}`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: this.node.tryGetContext("corsOrigins")?.split(",") ?? ["*"],
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
          JSON.stringify({
            requestId: "$context.requestId",
            ip: "$context.identity.sourceIp",
            requestTime: "$context.requestTime",
            routeKey: "$context.routeKey",
            status: "$context.status",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
          }),
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
        apiBase: this.node.tryGetContext("wechatApiBase") ?? "https://api.weixin.qq.com",
        secretParameter: wechatSecretParam,
        templates: {
          notice: this.node.tryGetContext("wechatTemplateNotice") ?? "tmpl-health-notice",
          appointment: this.node.tryGetContext("wechatTemplateAppointment") ?? "tmpl-appointment-reminder",
        },
      },
      // Debug logs may carry request details; production keeps to INFO.
      logLevel: prod ? "INFO" : "DEBUG",
    };
    const resourceArns: Record<Resource, string[]> = {
      table: [table.tableArn],
      indexes: indexArns,
      appSecret: [appSecret.secretArn],
      wechatSecret: [wechatSecretParamArn],
      noticeQueue: [noticeQueue.queueArn],
      remindersQueue: [remindersQueue.queueArn],
    };

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
    for (const fn of contracts) {
      if (!("api" in fn.trigger)) continue;
      // One integration per function, shared by all its routes.
      integrations.set(
        fn.name,
        // One invoke permission per function, scoped to this API, instead of one per route.
        new HttpLambdaIntegration(`${functionId(fn)}Integration`, functionFor(fn), {
          scopePermissionToRoute: false,
        }),
      );
    }

    // Scheduled runs that fail for good (EventBridge cannot deliver, or the function still fails after
    // Lambda's two async retries) land here, one queue for all scheduled workers; made only when needed.
    let scheduleDlq: Queue | undefined;
    const scheduleDlqOnce = () => {
      scheduleDlq ??= new Queue(this, "ScheduleDlq", {
        queueName: `jiayi-${stage}-schedule-dlq`,
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
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
          queueName: `jiayi-${stage}-${worker.name}-failures`,
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        // Binding grants the stream read (DescribeStream, GetRecords, GetShardIterator on this
        // table's stream, ListStreams) and SendMessage to the failure queue; nothing else.
        fn.addEventSource(
          new DynamoEventSource(table, {
            startingPosition: StartingPosition.LATEST,
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

    new CfnOutput(this, "ApiUrl", { value: apiStage.url });
    new CfnOutput(this, "TableName", { value: table.tableName });
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
