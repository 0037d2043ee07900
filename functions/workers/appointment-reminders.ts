import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { runAppointmentReminders } from "../services/reminders.js";

/** Every 15 minutes; the event's `time` is "now", and each reminder is sent once whatever the re-runs. */
export const handler = middy<ScheduledEvent, Awaited<ReturnType<typeof runAppointmentReminders>>>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const result = await runAppointmentReminders(new Date(event.time));
    logger.info("appointment reminders done", { ...result });
    return result;
  });
