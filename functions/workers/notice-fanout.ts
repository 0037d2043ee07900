import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod/mini";
import { mapLimit } from "../lib/concurrency.js";
import { logger } from "../lib/logger.js";
import { deliverBatch, fanoutPage, startFanout } from "../services/notices.js";

const Id = z.string().check(z.minLength(1), z.maxLength(64));

/** What the notice queue carries: ids, page numbers and cursors, never personal data. */
const Message = z.union([
  z.object({ kind: z.literal("start"), noticeId: Id }),
  z.object({
    kind: z.literal("page"),
    noticeId: Id,
    teamId: Id,
    page: z.int().check(z.nonnegative()),
    segment: z.enum(["active", "terminating"]),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
  }),
  // A batch as the previous release queued it, still accepted while such messages may be in flight.
  z.object({
    noticeId: Id,
    recipients: z.array(z.object({ residentId: Id, householdId: Id })).check(z.maxLength(100)),
  }),
]);

/** Records handled at once: each page is bounded, and different teams' chains do not touch each other. */
const CONCURRENCY = 4;

async function handle(record: SQSRecord) {
  const message = Message.parse(JSON.parse(record.body));
  if (!("kind" in message)) return deliverBatch(message);
  if (message.kind === "start") return startFanout(message.noticeId);
  const redelivered = Number(record.attributes?.ApproximateReceiveCount ?? "1") > 1;
  return fanoutPage(message, { redelivered });
}

/**
 * Consumes the notice queue: fan-out plans, audience pages and old-style batches. Each record
 * succeeds or fails alone (partial batch response), so a poison message is retried and finally
 * parked in the DLQ without holding back the others; the publisher's sweep resumes its chain.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    await mapLimit(event.Records, CONCURRENCY, async (record) => {
      try {
        const result = await handle(record);
        logger.info("notice message done", { messageId: record.messageId, ...result });
      } catch (error) {
        logger.warn("notice message failed", {
          messageId: record.messageId,
          error: (error as Error).message,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    });
    return { batchItemFailures };
  });
