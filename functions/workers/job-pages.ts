import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as z from "zod/mini";
import { mapLimit } from "../lib/concurrency.js";
import { logger } from "../lib/logger.js";
import { remindersPage } from "../services/reminders.js";
import { renewalsPage } from "../services/renewals.js";
import { visitClosurePage } from "../services/visit-closure.js";
import { worklistAgendaPage } from "../services/worklist.js";

const Id = z.string().check(z.minLength(1), z.maxLength(64));
const Day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
const page = {
  chain: z.string().check(z.minLength(1), z.maxLength(200)),
  page: z.int().check(z.nonnegative()),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  at: z.iso.datetime(),
};

/** What the reminders queue carries: partitions, page numbers and cursors, never personal data. */
const Message = z.union([
  z.object({ kind: z.literal("expiry"), date: Day, teamId: z.optional(Id), ...page }),
  z.object({
    kind: z.literal("renewal-reminder"),
    date: Day,
    days: z.int().check(z.positive()),
    teamId: z.optional(Id),
    ...page,
  }),
  z.object({ kind: z.literal("visit-closure"), date: Day, teamId: z.optional(Id), ...page }),
  z.object({ kind: z.literal("worklist-agenda"), date: Day, teamId: z.optional(Id), ...page }),
  z.object({
    kind: z.literal("annual-survey"),
    date: Day,
    days: z.int().check(z.positive()),
    teamId: z.optional(Id),
    ...page,
  }),
  z.object({
    kind: z.literal("reminder"),
    label: z.enum(["24h", "2h"]),
    hour: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/)),
    ...page,
  }),
]);

/** Pages handled at once: each is bounded in size, and a page's items are few transactions each. */
const CONCURRENCY = 4;

/**
 * The pages of scheduled work (renewals, renewal reminders, visit reminders), one bounded page per
 * message. Each record succeeds or fails alone (partial batch response): a failed page is
 * redelivered and done again idempotently, and after 5 receives it waits in the DLQ while the next
 * scheduled run plans what is still left.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    await mapLimit(event.Records, CONCURRENCY, async (record) => {
      try {
        const message = Message.parse(JSON.parse(record.body));
        const result =
          message.kind === "reminder"
            ? await remindersPage(message)
            : message.kind === "visit-closure"
              ? await visitClosurePage(message)
              : message.kind === "worklist-agenda"
                ? await worklistAgendaPage(message)
                : await renewalsPage(message);
        logger.info("job page done", {
          messageId: record.messageId,
          kind: message.kind,
          chain: message.chain,
          page: message.page,
          ...result,
        });
      } catch (error) {
        logger.warn("job page failed", { messageId: record.messageId, error: (error as Error).message });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    });
    return { batchItemFailures };
  });
