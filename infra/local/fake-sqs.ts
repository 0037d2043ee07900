import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { Faults } from "./faults.js";

/**
 * The local stand-in for SQS and Lambda's SQS event source: answers the SDK's SendMessage(Batch)
 * (AWS JSON protocol) on loopback, and delivers messages to the consuming worker in batches of up
 * to 10 with partial-batch failures, a receive count, and a DLQ after 5 receives, as the deployed
 * stack is configured.
 */
const MAX_RECEIVES = 5;
const BATCH = 10;
const RETRY_DELAY_MS = 100;
const DLQ_SUFFIX = "-dlq";
const ACCOUNT = "000000000000";
/** SQS's default visibility timeout, for what the operator's commands receive. */
const VISIBILITY_S = 30;

interface Message {
  messageId: string;
  body: string;
  receives: number;
  visibleAt: number;
  sentAt: number;
}

type Consumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface FakeSqs {
  url: string;
  queueUrl(name: string): string;
  consume(name: string, consumer: Consumer): void;
  stop(): Promise<void>;
}

export async function startFakeSqs(options: { faults?: Faults } = {}): Promise<FakeSqs> {
  const queues = new Map<
    string,
    { waiting: Message[]; inFlight: number; delivered: number; dlq: Message[] }
  >();
  const consumers = new Map<string, Consumer>();
  type Queue = { waiting: Message[]; inFlight: number; delivered: number; dlq: Message[] };
  const queue = (name: string): Queue => {
    let q = queues.get(name);
    if (!q) {
      // `<name>-dlq` is the dead-letter queue of `<name>`, addressable as a queue of its own (the
      // operator's redrive receives from it), as the stack's DLQs are.
      const source = name.endsWith(DLQ_SUFFIX) ? queue(name.slice(0, -DLQ_SUFFIX.length)) : undefined;
      q = { waiting: source ? source.dlq : [], inFlight: 0, delivered: 0, dlq: [] };
      queues.set(name, q);
    }
    return q;
  };
  const queueUrlOf = (name: string) => `${url}/${ACCOUNT}/${name}`;
  const enqueue = (name: string, body: string) => {
    const message = { messageId: randomUUID(), body, receives: 0, visibleAt: Date.now(), sentAt: Date.now() };
    queue(name).waiting.push(message);
    return message;
  };
  const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, body: unknown, type = "application/x-amz-json-1.0") => {
      res.writeHead(status, { "content-type": type });
      res.end(JSON.stringify(body));
    };
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString("utf8");
      const control = /^\/__fake\/sqs\/([\w-]+)\/(messages|dlq|stats)$/.exec(req.url ?? "");
      if (control?.[1]) {
        const q = queue(control[1]);
        if (control[2] === "messages" && req.method === "POST") {
          return reply(200, { messageId: enqueue(control[1], raw).messageId }, "application/json");
        }
        if (control[2] === "dlq")
          return reply(
            200,
            { messages: q.dlq.map(({ messageId, body, receives }) => ({ messageId, body, receives })) },
            "application/json",
          );
        return reply(
          200,
          { waiting: q.waiting.length, inFlight: q.inFlight, delivered: q.delivered, dlq: q.dlq.length },
          "application/json",
        );
      }
      const target = String(req.headers["x-amz-target"] ?? "");
      const input = JSON.parse(raw || "{}") as {
        QueueUrl?: string;
        QueueName?: string;
        MessageBody?: string;
        MaxNumberOfMessages?: number;
        VisibilityTimeout?: number;
        ReceiptHandle?: string;
        Entries?: { Id: string; MessageBody: string; ReceiptHandle?: string }[];
      };
      const name = new URL(input.QueueUrl ?? "http://x/none").pathname.split("/").pop() ?? "none";
      if (target === "AmazonSQS.SendMessage" && input.MessageBody !== undefined) {
        const m = enqueue(name, input.MessageBody);
        return reply(200, { MessageId: m.messageId, MD5OfMessageBody: md5(m.body) });
      }
      if (target === "AmazonSQS.SendMessageBatch" && input.Entries) {
        const successful = input.Entries.map((e) => {
          const m = enqueue(name, e.MessageBody);
          return { Id: e.Id, MessageId: m.messageId, MD5OfMessageBody: md5(m.body) };
        });
        return reply(200, { Successful: successful, Failed: [] });
      }
      // What an operator's redrive needs (ops/redrive.ts): find the queues, receive, delete.
      if (target === "AmazonSQS.GetQueueUrl" && input.QueueName)
        return reply(200, { QueueUrl: queueUrlOf(input.QueueName) });
      if (target === "AmazonSQS.ListDeadLetterSourceQueues")
        return reply(200, {
          queueUrls:
            name.endsWith(DLQ_SUFFIX) && queues.has(name.slice(0, -DLQ_SUFFIX.length))
              ? [queueUrlOf(name.slice(0, -DLQ_SUFFIX.length))]
              : [],
        });
      if (target === "AmazonSQS.GetQueueAttributes") {
        const q = queue(name);
        const now = Date.now();
        const visible = q.waiting.filter((m) => m.visibleAt <= now).length;
        return reply(200, {
          Attributes: {
            ApproximateNumberOfMessages: String(visible),
            ApproximateNumberOfMessagesNotVisible: String(q.waiting.length - visible + q.inFlight),
          },
        });
      }
      if (target === "AmazonSQS.ReceiveMessage") {
        const q = queue(name);
        const now = Date.now();
        const batch = q.waiting.filter((m) => m.visibleAt <= now).slice(0, input.MaxNumberOfMessages ?? 1);
        for (const m of batch) {
          m.receives++;
          m.visibleAt = now + (input.VisibilityTimeout ?? VISIBILITY_S) * 1000;
        }
        return reply(200, {
          Messages: batch.map((m) => ({
            MessageId: m.messageId,
            ReceiptHandle: `${m.messageId}:${m.receives}`,
            Body: m.body,
            MD5OfBody: md5(m.body),
            Attributes: { ApproximateReceiveCount: String(m.receives), SentTimestamp: String(m.sentAt) },
          })),
        });
      }
      if (target === "AmazonSQS.DeleteMessage" || target === "AmazonSQS.DeleteMessageBatch") {
        const q = queue(name);
        const entries = input.Entries ?? [{ Id: "0", MessageBody: "", ReceiptHandle: input.ReceiptHandle }];
        // In place: a DLQ's list is its source queue's.
        for (const e of entries) {
          const i = q.waiting.findIndex((m) => `${m.messageId}:${m.receives}` === e.ReceiptHandle);
          if (i >= 0) q.waiting.splice(i, 1);
        }
        return reply(
          200,
          input.Entries ? { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] } : {},
        );
      }
      return reply(400, { __type: "com.amazonaws.sqs#InvalidAction", message: `Unsupported ${target}` });
    } catch {
      return reply(400, { __type: "com.amazonaws.sqs#InvalidParameterValue", message: "bad request" });
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  const pump = async (name: string, consumer: Consumer) => {
    const q = queue(name);
    const now = Date.now();
    const batch = q.waiting.filter((m) => m.visibleAt <= now).slice(0, BATCH);
    if (batch.length === 0) return;
    q.waiting = q.waiting.filter((m) => !batch.includes(m));
    q.inFlight += batch.length;
    for (const m of batch) m.receives++;
    let failed: Set<string>;
    try {
      const result = await consumer({
        Records: batch.map((m) => ({
          messageId: m.messageId,
          receiptHandle: m.messageId,
          body: m.body,
          attributes: {
            ApproximateReceiveCount: String(m.receives),
            SentTimestamp: String(m.sentAt),
            SenderId: "local",
            ApproximateFirstReceiveTimestamp: String(now),
          },
          messageAttributes: {},
          md5OfBody: md5(m.body),
          eventSource: "aws:sqs",
          eventSourceARN: `arn:local:sqs:local:000000000000:${name}`,
          awsRegion: "local",
        })),
      });
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId));
    }
    q.inFlight -= batch.length;
    for (const m of batch) {
      if (!failed.has(m.messageId)) {
        q.delivered++;
        // SQS is at-least-once: a processed message can come again, as its own receive.
        if (options.faults?.roll("duplicate")) {
          m.visibleAt = Date.now() + RETRY_DELAY_MS;
          q.waiting.push(m);
        }
      } else if (m.receives >= MAX_RECEIVES) q.dlq.push(m);
      else {
        m.visibleAt = Date.now() + RETRY_DELAY_MS;
        q.waiting.push(m);
      }
    }
  };

  let running = true;
  const loops: Promise<void>[] = [];
  return {
    url,
    queueUrl: queueUrlOf,
    consume(name, consumer) {
      consumers.set(name, consumer);
      loops.push(
        (async () => {
          // Two batches in flight at once, like a small Lambda concurrency.
          while (running) {
            await Promise.all([pump(name, consumer), pump(name, consumer)]);
            await new Promise((r) => setTimeout(r, 20));
          }
        })(),
      );
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
