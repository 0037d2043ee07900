import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsEdge } from "../infra/local/aws-edge.js";
import { localClient } from "../infra/local/dynamodb-local.js";
import { startFakeSqs } from "../infra/local/fake-sqs.js";
import { Faults, parseFaults } from "../infra/local/faults.js";
import { stack } from "./support/api.js";

/**
 * Each fault the twin injects is what AWS really answers, and only where AWS would: proven against
 * the running DynamoDB Local through a local AWS endpoint of the test's own.
 */
const faults = new Faults(parseFaults("seed=3"));
let edge: Awaited<ReturnType<typeof startAwsEdge>>;
let sqs: Awaited<ReturnType<typeof startFakeSqs>>;

beforeAll(async () => {
  sqs = await startFakeSqs({ faults });
  edge = await startAwsEdge({
    dynamoEndpoint: stack().dynamoEndpoint,
    sqsEndpoint: sqs.url,
    secrets: {},
    parameters: {},
    principals: new Map([["FAULTY", { name: "faulty", grants: "*" }]]),
    faults,
    key: { partition: "pk", sort: "sk" },
  });
});
afterAll(async () => {
  await edge.stop();
  await sqs.stop();
});

const client = (maxAttempts: number) =>
  new DynamoDBClient({
    endpoint: edge.url,
    region: "cn-north-1",
    credentials: { accessKeyId: "FAULTY", secretAccessKey: "local" },
    maxAttempts,
  });
const id = () => `FAULT#${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
const counter = (pk: string) => ({ pk: { S: pk }, sk: { S: "C" } });
const readRaw = async (pk: string) =>
  (
    await localClient(stack().dynamoEndpoint).send(
      new GetItemCommand({ TableName: stack().tableName, Key: counter(pk), ConsistentRead: true }),
    )
  ).Item;
const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: unknown) => e as Error & { CancellationReasons?: { Code?: string }[] },
  );

describe("the fault switch answers as AWS does", () => {
  it("cancels a transaction with TransactionConflict and writes nothing", async () => {
    // Prepare
    faults.configure({ rates: { conflict: 1 } });
    const pk = id();
    // Act
    const error = await failure(
      client(1).send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: stack().tableName, Item: { ...counter(pk), n: { N: "1" } } } }],
        }),
      ),
    );
    // Assess
    expect(error?.name).toBe("TransactionCanceledException");
    expect(error?.CancellationReasons?.[0]?.Code).toBe("TransactionConflict");
    expect(await readRaw(pk)).toBeUndefined();
  });

  it("throttles with one of DynamoDB's three throttling errors, which the SDK retries", async () => {
    // Prepare
    faults.configure({ rates: { throttle: 1 } });
    // Act
    const error = await failure(
      client(1).send(new GetItemCommand({ TableName: stack().tableName, Key: counter(id()) })),
    );
    faults.configure({ rates: { throttle: 0.5 } });
    const retried = await Promise.all(
      Array.from({ length: 10 }, () =>
        failure(client(6).send(new GetItemCommand({ TableName: stack().tableName, Key: counter(id()) }))),
      ),
    );
    // Assess
    expect([
      "ThrottlingException",
      "ProvisionedThroughputExceededException",
      "RequestLimitExceeded",
    ]).toContain(error?.name);
    expect(retried.filter((e) => e === undefined).length).toBeGreaterThan(5);
  });

  it("applies an ambiguous write and loses the answer; a retried transaction token applies once", async () => {
    // Prepare
    faults.configure({ rates: { ambiguous: 1 } });
    const lost = id();
    const once = id();
    const add = (pk: string) => ({
      Update: {
        TableName: stack().tableName,
        Key: counter(pk),
        UpdateExpression: "ADD n :one",
        ExpressionAttributeValues: { ":one": { N: "1" } },
      },
    });
    // Act: a plain update whose answer is lost; a transaction the SDK sends again with its token.
    const error = await failure(client(1).send(new UpdateItemCommand(add(lost).Update)));
    const firstTry = await failure(
      client(1).send(
        new TransactWriteItemsCommand({ TransactItems: [add(once)], ClientRequestToken: "tok-1" }),
      ),
    );
    faults.configure({ rates: {} });
    await client(1).send(
      new TransactWriteItemsCommand({ TransactItems: [add(once)], ClientRequestToken: "tok-1" }),
    );
    // Assess
    expect(error).toBeDefined();
    expect((await readRaw(lost))?.n?.N).toBe("1");
    expect(firstTry).toBeDefined();
    expect((await readRaw(once))?.n?.N).toBe("1");
  });

  it("serves an eventually consistent read the version from before a write younger than the lag", async () => {
    // Prepare
    faults.configure({ rates: { stale: 1 }, staleLagMs: 5_000 });
    const pk = id();
    const put = (n: string) =>
      client(1).send(
        new PutItemCommand({ TableName: stack().tableName, Item: { ...counter(pk), n: { N: n } } }),
      );
    await put("1");
    // Act
    const fresh = await client(1).send(
      new GetItemCommand({ TableName: stack().tableName, Key: counter(pk), ConsistentRead: true }),
    );
    const stale = await client(1).send(
      new GetItemCommand({ TableName: stack().tableName, Key: counter(pk) }),
    );
    // Assess: the item did not exist before the write, so the stale replica has none.
    expect(fresh.Item?.n?.N).toBe("1");
    expect(stale.Item).toBeUndefined();
    faults.configure({ rates: {} });
  });

  it("delivers a processed SQS message again", async () => {
    // Prepare
    faults.configure({ rates: { duplicate: 1 } });
    const receives: string[] = [];
    sqs.consume("dup-queue", async (event) => {
      for (const r of event.Records) receives.push(r.attributes.ApproximateReceiveCount);
      if (receives.length >= 2) faults.configure({ rates: {} });
      return undefined;
    });
    // Act
    await fetch(`${sqs.url}/__fake/sqs/dup-queue/messages`, { method: "POST", body: "{}" });
    for (let i = 0; i < 50 && receives.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    // Assess
    expect(receives.slice(0, 2)).toEqual(["1", "2"]);
  });
});
