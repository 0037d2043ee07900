import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { projectChange } from "../services/stats-projector.js";

/**
 * The table's stream (NEW_AND_OLD_IMAGES): report counters, month-end team figures and survey
 * invitations. Records are handled a few at a time (counters commute; snapshots are re-read from
 * live figures); at a failure the rest of the batch from that record on is left for the retry, and
 * with the per-record markers nothing is counted twice.
 */
type Image = Record<string, AttributeValue>;

const image = (raw: unknown) => (raw ? (unmarshall(raw as Image) as Record<string, unknown>) : undefined);

function changeOf(record: DynamoDBRecord) {
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventId: record.eventID ?? `${record.dynamodb?.SequenceNumber}`,
    eventName: record.eventName ?? "MODIFY",
    old: image(record.dynamodb?.OldImage),
    next: image(record.dynamodb?.NewImage),
    at: new Date(seconds ? seconds * 1000 : Date.now()).toISOString(),
  } as const;
}

/** Records handled at once: counters add up in any order and every effect is idempotent. */
const CONCURRENCY = 25;

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const records = event.Records ?? [];
    for (let start = 0; start < records.length; start += CONCURRENCY) {
      const chunk = records.slice(start, start + CONCURRENCY);
      const outcomes = await Promise.allSettled(chunk.map((record) => projectChange(changeOf(record))));
      const firstFailure = outcomes.findIndex((o) => o.status === "rejected");
      if (firstFailure >= 0) {
        const failed = outcomes[firstFailure] as PromiseRejectedResult;
        logger.error("stream record failed", {
          eventId: chunk[firstFailure]?.eventID,
          error: failed.reason as Error,
        });
        // From the first failure on, the rest is retried; what did succeed is not counted twice.
        return {
          batchItemFailures: records
            .slice(start + firstFailure)
            .map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? "" }))
            .filter((f) => f.itemIdentifier),
        };
      }
    }
    return { batchItemFailures: [] };
  });
