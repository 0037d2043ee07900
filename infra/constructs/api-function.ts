import { type Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { MEMORY_MB } from "../../functions/deployment.js";
import { BUNDLING } from "../bundling.js";

export interface ApiFunctionProps {
  /** Absolute path of the handler module; it exports `handler`. */
  entry: string;
  /** Shown in the console and used by tests to find the function of a handler module. */
  description: string;
  stage: "dev" | "prod";
  logRetention: RetentionDays;
  /** Exactly the function's environment, from its deployment contract (functions/deployment.ts). */
  environment: Record<string, string>;
  /** From the deployment contract: API handlers 10 s (API Gateway gives up at 30 s), workers longer. */
  timeout: Duration;
  /** Where asynchronous invocations (scheduled workers) go once Lambda's own retries are spent. */
  deadLetterQueue?: IQueue;
}

/**
 * Every Lambda function of Jiayi, with the defaults fixed once: Node.js 22 on arm64, minified ESM
 * with source maps, its own log group, and a role that starts with nothing but writing to that
 * log group (no AWSLambdaBasicExecutionRole, whose logs:CreateLogGroup applies to every group).
 */
export class ApiFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.stage === "prod" ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs ${props.description}`,
    });
    super(scope, id, {
      entry: props.entry,
      handler: "handler",
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: MEMORY_MB,
      timeout: props.timeout,
      // Also grants the role sqs:SendMessage on this one queue.
      deadLetterQueue: props.deadLetterQueue,
      role,
      logGroup,
      environment: props.environment,
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourceMap,
        externalModules: [...BUNDLING.external],
      },
    });
    logGroup.grantWrite(role);
    Validations.of(this).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "Node.js 22 is the platform's chosen runtime: it matches the local runtime and toolchain, and the " +
        "move to a newer runtime is made for all functions at once after checking it in the China regions.",
    });
  }
}
