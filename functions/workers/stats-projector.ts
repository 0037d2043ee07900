import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { deadlineOf, withDeadline } from "../lib/time-budget.js";
import { projectBatch } from "../services/stats-projector.js";

/**
 * The table's stream (NEW_AND_OLD_IMAGES): report counters, month-end team figures and survey
 * invitations. The batch's counters are applied aggregated (one ADD per hot item per transaction
 * of up to 50 records, services/stats-projector.ts); at a failure the rest of the batch from that
 * record on is left for the retry, and with the per-record markers nothing is counted twice.
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

/**
 * Kept from the function's time for answering: retries stop this long before the timeout, so a
 * batch that cannot finish reports its failed records instead of being cut off (a cut-off batch is
 * retried whole; correct through the markers, but it redoes the work).
 */
const RESERVE_MS = 10_000;

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context) => {
    const records = event.Records ?? [];
    const deadline = deadlineOf(context, RESERVE_MS);
    const outcome = await withDeadline(deadline, () => projectBatch(records.map(changeOf), { deadline }));
    const { counters } = outcome;
    logger.info("stream batch projected", {
      records: records.length,
      counted: counters.applied,
      alreadyCounted: counters.duplicates,
      transactions: counters.transactions,
      transactItems: counters.items,
      transactAttempts: counters.attempts,
      conflictRetries: counters.retries.conflict,
      throttleRetries: counters.retries.throttle,
      failedFrom: outcome.failedFrom,
    });
    if (outcome.failedFrom === null) return { batchItemFailures: [] };
    const failed = records[outcome.failedFrom];
    logger.error("stream record failed", { eventId: failed?.eventID, error: outcome.error as Error });
    // From the first failure on, the rest is retried (Lambda resumes at the lowest sequence number
    // reported); what did succeed is not counted twice.
    return {
      batchItemFailures: records
        .slice(outcome.failedFrom)
        .map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? "" }))
        .filter((f) => f.itemIdentifier),
    };
  });
