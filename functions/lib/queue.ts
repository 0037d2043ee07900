import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";

/**
 * Sends work to the notice fan-out queue. The queue URL is configuration: SQS in AWS, the local
 * runtime's SQS stand-in on loopback (the client sends to the queue URL's host).
 */
let client: SQSClient | undefined;
const sqs = () => {
  client ??= new SQSClient({ requestHandler: { requestTimeout: 5_000 } });
  return client;
};

export async function sendNoticeBatches(messages: unknown[]): Promise<void> {
  const queueUrl = process.env.NOTICE_QUEUE_URL;
  if (!queueUrl) throw new Error("NOTICE_QUEUE_URL is not set");
  for (let i = 0; i < messages.length; i += 10) {
    const entries = messages
      .slice(i, i + 10)
      .map((m, j) => ({ Id: String(i + j), MessageBody: JSON.stringify(m) }));
    const out = await sqs().send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    if (out.Failed?.length) throw new Error(`SQS refused ${out.Failed.length} fan-out messages`);
  }
}
