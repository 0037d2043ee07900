import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { closeDueMonths } from "../services/month-closing.js";
import { planRenewals } from "../services/renewals.js";

/**
 * Daily at 00:10 China time: plans the day's renewal work as page messages on the reminders queue
 * (the `jobPages` worker does the pages). The event's `time` is "now", so a re-run for a past day
 * plans exactly that day's work; every step is conditioned on the contract's status, so a re-run
 * changes nothing. `detail.teamId` narrows the run to one team (operations, and tests that must
 * not touch others). An unnarrowed run also closes the months whose stream has caught up.
 */
export const handler = middy<ScheduledEvent<{ teamId?: string }>, Awaited<ReturnType<typeof planRenewals>>>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const now = new Date(event.time);
    const result = await planRenewals(now, event.id, event.detail?.teamId);
    logger.info("contract renewals planned", { ...result });
    if (!event.detail?.teamId) logger.info("months closed", { ...(await closeDueMonths(now)) });
    return result;
  });
