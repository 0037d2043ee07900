import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * Moves every message of a dead-letter queue back to its source queue, after the fault that parked
 * them is fixed. Each batch is sent to the source first and deleted from the DLQ after, so a crash
 * between the two leaves a message in both (delivered twice, which every consumer tolerates: fan-out
 * pages and job pages are idempotent), never in neither.
 *
 * Receive, send, delete rather than SQS's StartMessageMoveTask: the same three calls work in every
 * partition and against the local twin.
 */
export interface RedriveResult {
  dlqUrl: string;
  sourceUrl: string;
  moved: number;
}

const urlOf = async (sqs: SQSClient, queue: string) =>
  queue.startsWith("https://") || queue.startsWith("http://")
    ? queue
    : ((await sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl ?? "");

export async function redrive(
  sqs: SQSClient,
  dlq: string,
  options: { to?: string } = {},
): Promise<RedriveResult> {
  const dlqUrl = await urlOf(sqs, dlq);
  let sourceUrl = options.to ? await urlOf(sqs, options.to) : undefined;
  if (!sourceUrl) {
    // The queue whose redrive policy names this DLQ: no naming convention to trust.
    const sources =
      (await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }))).queueUrls ?? [];
    if (sources.length !== 1)
      throw new Error(
        `${dlq} is the dead-letter queue of ${sources.length} queues (${sources.join(", ") || "none"}): name the source with --to`,
      );
    sourceUrl = sources[0] as string;
  }
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        // Long enough to send and delete the batch; a message not deleted comes back to the DLQ.
        VisibilityTimeout: 60,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? "" })),
      }),
    );
    if (sent.Failed?.length)
      throw new Error(
        `could not send ${sent.Failed.length} message(s) back: ${sent.Failed[0]?.Message ?? ""}`,
      );
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? "" })),
      }),
    );
    moved += Messages.length;
  }
  return { dlqUrl, sourceUrl, moved };
}
