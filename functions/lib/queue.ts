import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";

/**
 * Sends work to the platform's two work queues. The queue URLs are configuration (NOTICE_QUEUE_URL
 * for a function that declares "notices-queue", REMINDERS_QUEUE_URL for "reminders-queue"): SQS in
 * AWS, the local runtime's SQS stand-in on loopback. Message bodies carry ids, dates and cursors
 * only, never personal data.
 */
let client: SQSClient | undefined;
const sqs = () => {
  client ??= new SQSClient({ requestHandler: { requestTimeout: 5_000, throwOnRequestTimeout: true } });
  return client;
};

export type WorkQueue = "notices" | "reminders";

const URL_VARIABLE: Record<WorkQueue, string> = {
  notices: "NOTICE_QUEUE_URL",
  reminders: "REMINDERS_QUEUE_URL",
};

/** SendMessageBatch in tens; entries SQS refuses are sent again once, then the call fails. */
export async function sendMessages(queue: WorkQueue, messages: readonly unknown[]): Promise<void> {
  const variable = URL_VARIABLE[queue];
  const queueUrl = process.env[variable];
  if (!queueUrl) throw new Error(`${variable} is not set (does the function declare the ${queue} queue?)`);
  for (let i = 0; i < messages.length; i += 10) {
    let entries = messages
      .slice(i, i + 10)
      .map((m, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(m) }));
    for (let attempt = 1; entries.length; attempt++) {
      const out = await sqs().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((out.Failed ?? []).map((f) => f.Id));
      if (failed.size === 0) break;
      if (attempt >= 2) throw new Error(`SQS refused ${failed.size} messages for the ${queue} queue`);
      entries = entries.filter((e) => failed.has(e.Id));
    }
  }
}

export const sendNoticeBatches = (messages: readonly unknown[]) => sendMessages("notices", messages);
