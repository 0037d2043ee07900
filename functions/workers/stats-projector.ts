import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { projectChange } from "../services/stats-projector.js";

/**
 * The table's stream (NEW_AND_OLD_IMAGES), in order per shard: report counters, month-end team
 * figures and survey invitations. Records are handled one by one; at the first failure the rest of
 * the batch is left for the retry (reported as batch item failures from that record on), so order
 * holds and, with the per-record markers, nothing is counted twice.
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

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const records = event.Records ?? [];
    for (const [i, record] of records.entries()) {
      try {
        await projectChange(changeOf(record));
      } catch (error) {
        logger.error("stream record failed", { eventId: record.eventID, error: error as Error });
        return {
          batchItemFailures: records
            .slice(i)
            .map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? "" }))
            .filter((f) => f.itemIdentifier),
        };
      }
    }
    return { batchItemFailures: [] };
  });
