import { fileURLToPath } from "node:url";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, describe, expect, it } from "vitest";
import { type FunctionContract, functionContracts, MEMORY_MB } from "../functions/deployment.js";
import { startFakeSqs } from "../infra/local/fake-sqs.js";
import { LambdaError, LocalFunction } from "../infra/local/lambda.js";
import { accessKeyOf, lambdaEnvironment, localResources } from "../infra/local/runtime.js";
import { stack } from "./support/api.js";

/**
 * The local runtime is a twin of the deployment: each function's environment, grants and timeout
 * come from functions/deployment.ts, the declaration the CDK stack reads too.
 */
const contract = (name: string): FunctionContract => {
  const found = functionContracts().find((fn) => fn.name === name);
  if (!found) throw new Error(`no function ${name}`);
  return found;
};

/** SDK clients signed as one of the deployed functions, against the running stack's AWS endpoint. */
const as = (fn: FunctionContract) => {
  const config = {
    endpoint: stack().edgeUrl,
    region: "cn-north-1",
    credentials: { accessKeyId: accessKeyOf(fn), secretAccessKey: "local" },
    maxAttempts: 1,
  };
  return {
    dynamo: new DynamoDBClient(config),
    secrets: new SecretsManagerClient(config),
    ssm: new SSMClient(config),
    sqs: new SQSClient(config),
  };
};

const resources = () =>
  localResources({
    tableName: stack().tableName,
    endpoint: stack().edgeUrl,
    wechat: { url: stack().wechatUrl, appId: "wx-local" },
    logLevel: "INFO",
  });

const denial = async (call: Promise<unknown>) => {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  return error?.name;
};

describe("grants as IAM enforces them", () => {
  it("refuses a write from a function granted only reads, and lets its reads through", async () => {
    // Prepare: the platform function (health check) may read the table, nothing more.
    const platform = contract("platform");
    expect(platform.data).toBe("read");
    const { dynamo } = as(platform);
    const Key = { pk: { S: "HEALTH" }, sk: { S: "HEALTH" } };
    // Act
    const read = await dynamo.send(new GetItemCommand({ TableName: stack().tableName, Key }));
    const write = denial(
      dynamo.send(new PutItemCommand({ TableName: stack().tableName, Item: { ...Key, type: { S: "x" } } })),
    );
    // Assess
    expect(read.$metadata.httpStatusCode).toBe(200);
    expect(await write).toBe("AccessDeniedException");
  });

  it("refuses a secret read from a function that does not declare secrets", async () => {
    // Prepare: the waitlist-offer worker declares no secrets; the identity function checks tokens.
    const waitlist = contract("waitlistOffers");
    const identity = contract("identity");
    expect(waitlist.uses.has("secrets")).toBe(false);
    const SecretId = resources().appSecretArn;
    // Act
    const refused = denial(as(waitlist).secrets.send(new GetSecretValueCommand({ SecretId })));
    const allowed = await as(identity).secrets.send(new GetSecretValueCommand({ SecretId }));
    // Assess
    expect(await refused).toBe("AccessDeniedException");
    expect(allowed.SecretString).toBeTruthy();
  });

  it("refuses the WeChat AppSecret and the queues to functions that do not declare them", async () => {
    // Prepare
    const appointments = contract("appointments");
    const notices = contract("notices");
    // Act
    const parameter = denial(
      as(appointments).ssm.send(new GetParameterCommand({ Name: resources().wechat.secretParameter })),
    );
    const send = denial(
      as(appointments).sqs.send(
        new SendMessageCommand({ QueueUrl: resources().noticeQueueUrl, MessageBody: "{}" }),
      ),
    );
    const sendOther = denial(
      as(contract("statsProjector")).sqs.send(
        new SendMessageCommand({ QueueUrl: resources().remindersQueueUrl, MessageBody: "{}" }),
      ),
    );
    const allowed = await as(notices).sqs.send(
      new SendMessageCommand({
        QueueUrl: resources().noticeQueueUrl,
        MessageBody: JSON.stringify({ probe: true }),
      }),
    );
    // Assess
    expect(await parameter).toBe("AccessDeniedException");
    // SQS's JSON protocol answers with the query-compatible code AccessDenied, as AWS does.
    expect(await send).toBe("AccessDenied");
    expect(await sendOther).toBe("AccessDenied");
    expect(allowed.MessageId).toBeTruthy();
  });
});

const PROBE = fileURLToPath(new URL("./fixtures/lambda-probe.ts", import.meta.url));
const started: LocalFunction[] = [];
afterAll(async () => {
  await Promise.all(started.map((fn) => fn.stop()));
});

const probe = (fn: FunctionContract, timeoutSeconds = fn.timeoutSeconds) => {
  const local = new LocalFunction({
    name: `probe-${fn.name}`,
    entryPath: PROBE,
    environment: lambdaEnvironment(fn, resources(), stack().edgeUrl),
    timeoutSeconds,
    memoryMb: MEMORY_MB,
  });
  started.push(local);
  return local;
};

describe("each function runs with exactly its own environment", () => {
  it("gives the reminder workers their declared environments and nothing of this process", async () => {
    // Prepare: appointmentReminders plans pages on the reminders queue; jobPages sends the pushes.
    const planner = contract("appointmentReminders");
    const pages = contract("jobPages");
    process.env.JIAYI_TEST_SHOULD_NOT_LEAK = "1";
    // Act
    const planned = (await probe(planner).invoke({})) as { env: Record<string, string> };
    const paged = (await probe(pages).invoke({})) as { env: Record<string, string> };
    // Assess: exactly the declaration; whoever pushes WeChat messages has the secret and WeChat.
    expect(planned.env).toEqual(lambdaEnvironment(planner, resources(), stack().edgeUrl));
    expect(paged.env).toEqual(lambdaEnvironment(pages, resources(), stack().edgeUrl));
    expect(planned.env).toHaveProperty("REMINDERS_QUEUE_URL");
    expect(paged.env).toHaveProperty("APP_SECRET_ARN");
    expect(paged.env).toHaveProperty("WECHAT_SECRET_PARAM");
    expect(planned.env).not.toHaveProperty("JIAYI_TEST_SHOULD_NOT_LEAK");
    expect(paged.env).not.toHaveProperty("JIAYI_TEST_SHOULD_NOT_LEAK");
  });

  it("gives two functions different environments: no shared process.env", async () => {
    // Prepare / Act
    const a = (await probe(contract("platform")).invoke({})) as { env: Record<string, string> };
    const b = (await probe(contract("notices")).invoke({})) as { env: Record<string, string> };
    // Assess
    expect(a.env).not.toHaveProperty("APP_SECRET_ARN");
    expect(b.env).toHaveProperty("NOTICE_QUEUE_URL");
    expect(a.env.AWS_ACCESS_KEY_ID).not.toBe(b.env.AWS_ACCESS_KEY_ID);
  });
});

describe("timeouts as Lambda applies them", () => {
  it("cuts a run off at the timeout, and the next invocation starts in a fresh environment", async () => {
    // Prepare
    const fn = probe(contract("platform"), 1);
    const warm = (await fn.invoke({})) as { invocations: number };
    // Act
    const cut = await fn.invoke({ sleepMs: 3_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const after = (await fn.invoke({})) as { invocations: number };
    // Assess
    expect(warm.invocations).toBe(1);
    expect(cut).toBeInstanceOf(LambdaError);
    expect((cut as LambdaError).errorType).toBe("Sandbox.Timedout");
    expect((cut as LambdaError).message).toBe("Task timed out after 1.00 seconds");
    expect(after.invocations).toBe(1);
    expect(fn.stats).toMatchObject({ timeouts: 1, coldStarts: 2 });
  });

  it("redelivers a queue batch whose run timed out, as the SQS event source does", async () => {
    // Prepare: the probe sleeps past its 1 s timeout on a message's first receive.
    const sqs = await startFakeSqs();
    try {
      const fn = probe(contract("noticeFanout"), 1);
      sqs.consume("probe-queue", (event) => fn.invoke(event) as Promise<undefined>);
      // Act
      await fetch(`${sqs.url}/__fake/sqs/probe-queue/messages`, { method: "POST", body: "{}" });
      let stats = { delivered: 0, dlq: 0, waiting: 1, inFlight: 0 };
      for (let i = 0; i < 100 && stats.delivered === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        stats = (await (await fetch(`${sqs.url}/__fake/sqs/probe-queue/stats`)).json()) as typeof stats;
      }
      // Assess
      expect(stats).toMatchObject({ delivered: 1, dlq: 0, waiting: 0 });
      expect(fn.stats.timeouts).toBe(1);
    } finally {
      await sqs.stop();
    }
  });
});
