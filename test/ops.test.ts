import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { keys } from "../functions/data/keys.js";
import { monthOf } from "../functions/domain/surveys.js";
import { ensureTable, localClient } from "../infra/local/dynamodb-local.js";
import { OPERATOR_KEY } from "../infra/local/runtime.js";
import { stack } from "./support/api.js";

/**
 * The operator's commands (ops/cli.ts) run as `npm run ops` runs them, as a process, against the
 * running local stack: its AWS endpoint (operator credentials), the SQS twin's dead-letter queues,
 * and the counters the real stats projector wrote from the table's stream.
 */
const run = promisify(execFile);
const operator = () => ({
  AWS_ENDPOINT_URL: stack().edgeUrl,
  AWS_REGION: "cn-north-1",
  AWS_ACCESS_KEY_ID: OPERATOR_KEY,
  AWS_SECRET_ACCESS_KEY: "local",
});
const ops = async (...args: string[]) =>
  (
    await run("node_modules/.bin/tsx", ["ops/cli.ts", ...args], {
      env: { ...process.env, ...operator(), TABLE_NAME: stack().tableName },
    })
  ).stdout;

const config = () => ({
  endpoint: stack().edgeUrl,
  region: "cn-north-1",
  credentials: { accessKeyId: OPERATOR_KEY, secretAccessKey: "local" },
});
const fake = (path: string, init?: RequestInit) =>
  fetch(`${stack().sqsUrl}/__fake/sqs/${path}`, init).then((r) => r.json());

describe("npm run ops -- redrive", () => {
  it("moves every parked message back to its source queue once, and a second run moves nothing", async () => {
    // Prepare: a source queue and twelve messages parked in its dead-letter queue.
    const source = `jiayi-ops-${randomUUID().slice(0, 8)}`;
    await fake(`${source}/stats`);
    const bodies = Array.from({ length: 12 }, (_, i) => JSON.stringify({ page: i }));
    for (const body of bodies) await fake(`${source}-dlq/messages`, { method: "POST", body });
    expect(((await fake(`${source}/dlq`)) as { messages: unknown[] }).messages).toHaveLength(12);

    // Act
    const first = await ops("redrive", `${source}-dlq`);
    const second = await ops("redrive", `${source}-dlq`);

    // Assess: the DLQ is empty, and the source holds each message exactly once.
    expect(first).toMatch(/^moved 12 message\(s\)/);
    expect(second).toMatch(/^moved 0 message\(s\)/);
    expect(((await fake(`${source}/dlq`)) as { messages: unknown[] }).messages).toHaveLength(0);
    const sqs = new SQSClient({ ...config(), useQueueUrlAsEndpoint: false });
    const received: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: `${stack().edgeUrl}/000000000000/${source}`,
          MaxNumberOfMessages: 10,
        }),
      );
      if (Messages.length === 0) break;
      received.push(...Messages.map((m) => m.Body ?? ""));
    }
    expect(received.sort()).toEqual([...bodies].sort());
  });
});

describe("npm run ops -- replay-stats", () => {
  const db = () => DynamoDBDocumentClient.from(new DynamoDBClient(config()));
  const TableName = () => stack().tableName;
  const put = (Item: Record<string, unknown>) => db().send(new PutCommand({ TableName: TableName(), Item }));
  const set = (key: { pk: string; sk: string }, values: Record<string, unknown>) =>
    db().send(
      new UpdateCommand({
        TableName: TableName(),
        Key: key,
        UpdateExpression: `SET ${Object.keys(values)
          .map((_k, i) => `#k${i} = :v${i}`)
          .join(", ")}`,
        ExpressionAttributeNames: Object.fromEntries(Object.keys(values).map((k, i) => [`#k${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(Object.values(values).map((v, i) => [`:v${i}`, v])),
      }),
    );
  const counters = async (centreId: string, month: string, table = TableName()) => {
    const out = await db().send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.reportCountersOfMonth(centreId, month).pk },
        ConsistentRead: true,
      }),
    );
    return Object.fromEntries((out.Items ?? []).map(({ pk: _pk, sk, ...rest }) => [String(sk), rest]));
  };

  it("rebuilds a centre-month's counters exactly as the projector wrote them, however often it runs", async () => {
    // Prepare: facts of one centre written as the services write them (insert, then change), so the
    // stats projector counts them from the stream.
    const id = randomUUID().slice(0, 8);
    const centreId = `ops-${id}`;
    const teamId = `team-${id}`;
    const now = () => new Date().toISOString();
    const month = monthOf(now());
    const contract = keys.contract(`c-${id}`);
    const base = { centreId, teamId, residentId: `r-${id}` };
    await put({
      ...contract,
      type: "Contract",
      contractId: `c-${id}`,
      ...base,
      status: "pending",
      groupsAtSigning: ["elderly"],
    });
    await put({
      ...keys.contractEvent(`c-${id}`, now(), "1"),
      type: "ContractEvent",
      at: now(),
      from: null,
      to: "pending",
    });
    const approvedAt = now();
    await set(contract, { status: "active" });
    await put({
      ...keys.contractEvent(`c-${id}`, approvedAt, "2"),
      type: "ContractEvent",
      at: approvedAt,
      from: "pending",
      to: "active",
    });
    const deliveredAt = now();
    await put({
      ...keys.contractService(`c-${id}`, deliveredAt, `s-${id}`),
      type: "Service",
      serviceId: `s-${id}`,
      contractId: `c-${id}`,
      serviceType: "consultation",
      deliveredAt,
      source: "manual",
    });
    const date = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const [n, outcome] of [
      ["1", "cancelled"],
      ["2", "no_show"],
    ] as const) {
      const key = keys.appointment(`a${n}-${id}`);
      await put({
        ...key,
        type: "Appointment",
        appointmentId: `a${n}-${id}`,
        ...base,
        date,
        status: "booked",
      });
      await set(key, { status: outcome });
    }
    const notice = keys.notice(`n-${id}`);
    await put({
      ...notice,
      type: "Notice",
      noticeId: `n-${id}`,
      centreId,
      teamId,
      kind: "lecture",
      status: "publishing",
    });
    await set(notice, { status: "published", publishedAt: now(), audienceSize: 3 });
    const sentAt = now();
    const message = keys.inboxMessage(`r-${id}`, sentAt, `m-${id}`);
    await put({ ...message, type: "InboxMessage", noticeId: `n-${id}`, sentAt, read: false });
    await set(message, { read: true });
    await put({
      ...keys.lectureRegistration(`n-${id}`, `r-${id}`),
      type: "LectureRegistration",
      noticeId: `n-${id}`,
      ...base,
      registeredAt: now(),
    });
    const expected = {
      contractsNew: 1,
      priorityNew: 1,
      svc_consultation: 1,
      appointmentsBooked: 2,
      appointmentsCancelled: 1,
      appointmentsNoShow: 1,
      noticesSent: 1,
      noticeAudience: 3,
      lectures: 1,
      noticesDelivered: 1,
      noticesRead: 1,
      lectureRegistrations: 1,
    };
    const matches = (item?: Record<string, unknown>) =>
      item !== undefined && Object.entries(expected).every(([k, v]) => item[k] === v);
    // The stream projector counts behind the writes: under a full suite's load that can take a while.
    const deadline = Date.now() + 90_000;
    let projected = await counters(centreId, month);
    while (!(matches(projected.CENTRE) && matches(projected[`TEAM#${teamId}`]))) {
      if (Date.now() > deadline)
        throw new Error(`projector did not count in 90 s: ${JSON.stringify(projected)}`);
      await new Promise((r) => setTimeout(r, 200));
      projected = await counters(centreId, month);
    }
    expect(projected.CENTRE).toMatchObject(expected);
    expect(projected[`TEAM#${teamId}`]).toMatchObject(expected);
    // The replay runs on a table holding only this centre's facts, copied from the stack's table
    // (with --table, as an operator names a table): a Scan of the whole shared table, which every
    // other suite has filled by now, took most of two minutes of each CI run.
    const scratch = `ops-replay-${id}`;
    await ensureTable(stack().dynamoEndpoint, scratch);
    const written = [contract, keys.appointment(`a1-${id}`), keys.appointment(`a2-${id}`), notice, message];
    for (const pk of new Set([...written.map((k) => k.pk), keys.reportCountersOfMonth(centreId, month).pk])) {
      const items = await db().send(
        new QueryCommand({
          TableName: TableName(),
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ConsistentRead: true,
        }),
      );
      for (const Item of items.Items ?? []) await db().send(new PutCommand({ TableName: scratch, Item }));
    }
    // A booking at another centre in the same month, which the replay must leave out.
    await db().send(
      new PutCommand({
        TableName: scratch,
        Item: {
          ...keys.appointment(`other-${id}`),
          type: "Appointment",
          appointmentId: `other-${id}`,
          centreId: `other-${id}`,
          teamId: `other-team-${id}`,
          residentId: `r-other-${id}`,
          date,
          status: "booked",
        },
      }),
    );
    expect(await counters(centreId, month, scratch)).toEqual(projected);

    // Then the counters go wrong: the centre item lost, the team's counted twice with a stale field.
    await db().send(
      new DeleteCommand({ TableName: scratch, Key: keys.reportCounter(centreId, month, "CENTRE") }),
    );
    await db().send(
      new PutCommand({
        TableName: scratch,
        Item: {
          ...keys.reportCounter(centreId, month, `TEAM#${teamId}`),
          ...projected[`TEAM#${teamId}`],
          appointmentsBooked: 4,
          stale: 9,
        },
      }),
    );

    // Act
    const replay = (...flags: string[]) => ops("replay-stats", centreId, month, "--table", scratch, ...flags);
    const dryRun = await replay("--dry-run");
    const afterDryRun = await counters(centreId, month, scratch);
    await replay();
    const once = await counters(centreId, month, scratch);
    await replay();
    const twice = await counters(centreId, month, scratch);
    await localClient(stack().dynamoEndpoint).send(new DeleteTableCommand({ TableName: scratch }));

    // Assess: exactly the projector's items, once, whether replayed once or twice; a dry run writes nothing.
    expect(dryRun).toContain("dry run: nothing written");
    expect(afterDryRun.CENTRE).toBeUndefined();
    expect(once).toEqual(projected);
    expect(twice).toEqual(projected);
    // The contract went straight into the table, with no lock: its team is marked a fixture, which
    // the closing invariants leave out (as the fan-out test's team).
    await put({
      ...keys.team(teamId),
      type: "Team",
      teamId,
      centreId,
      name: "运维测试团队",
      fixture: true,
      members: [],
      capacityHouseholds: 800,
      signedHouseholds: 0,
      signedPersons: 0,
    });
    // Up to 90 s for the projector under a full suite's load, then three ops processes.
  }, 180_000);
});
