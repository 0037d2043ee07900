import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "../data/keys.js";
import { db, tableName } from "../lib/db.js";
import { sendMessages } from "../lib/queue.js";

/**
 * Scheduled work that finishes at any size: the scheduled run only plans, one message per partition
 * (a day of expiring contracts, an hour of visits) on the reminders queue, and the `jobPages` queue
 * worker does one bounded page per message. A page puts the message for the next page on the queue
 * as soon as it has read its own (so a long partition's pages run in parallel), then works through
 * its items, each idempotently. A failed page is redelivered by SQS and done again harmlessly; the
 * next page is not sent twice (a marker per page); and whatever is still left when a chain breaks
 * off is picked up by the next scheduled run, because every run plans from what is left to do.
 */
export interface PageRef {
  /** Names the chain of pages: the planning run and the partition. */
  chain: string;
  page: number;
  cursor?: string;
}

/** How long a page marker is kept: longer than any chain of one run takes. */
const MARKER_TTL_S = 2 * 86_400;

/**
 * Queues the page after `ref`, unless this page did it already (a redelivered message). The marker
 * is written after the send: a crash in between can at worst leave one duplicate page, which does
 * nothing twice either.
 */
export async function continueChain<M extends PageRef>(current: M, nextCursor: string): Promise<void> {
  const marker = keys.jobPageContinued(current.chain, current.page);
  const seen = await db.send(new GetCommand({ TableName: tableName(), Key: marker, ConsistentRead: true }));
  if (seen.Item) return;
  await sendMessages("reminders", [{ ...current, page: current.page + 1, cursor: nextCursor }]);
  await db.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...marker,
        type: "JobPageContinued",
        expiresAt: Math.floor(Date.now() / 1000) + MARKER_TTL_S,
      },
    }),
  );
}

/** The first page of each planned partition, on the reminders queue. */
export const planPages = (messages: readonly PageRef[]) => sendMessages("reminders", messages);
