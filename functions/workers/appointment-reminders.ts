import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { planReminders } from "../services/reminders.js";

/**
 * Every 15 minutes: plans the 24 h and 2 h reminders as one page message per start hour on the
 * reminders queue (the `jobPages` worker sends them). The event's `time` is "now"; each reminder is
 * sent once whatever the re-runs.
 */
export const handler = middy<ScheduledEvent, Awaited<ReturnType<typeof planReminders>>>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const result = await planReminders(new Date(event.time), event.id);
    logger.info("appointment reminders planned", { ...result });
    return result;
  });
