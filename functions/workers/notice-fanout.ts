import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as z from "zod/mini";
import { logger } from "../lib/logger.js";
import { deliverBatch } from "../services/notices.js";

const Message = z.object({
  noticeId: z.string(),
  recipients: z.array(z.object({ residentId: z.string(), householdId: z.string() })).check(z.maxLength(100)),
});

/**
 * Consumes fan-out batches. Each record succeeds or fails alone (partial batch response), so one
 * poison message is retried and finally parked in the DLQ without holding back the others.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      try {
        const result = await deliverBatch(Message.parse(JSON.parse(record.body)));
        logger.info("notice batch delivered", { messageId: record.messageId, ...result });
      } catch (error) {
        logger.warn("notice batch failed", { messageId: record.messageId, error: (error as Error).message });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
