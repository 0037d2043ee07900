import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { expireOffers } from "../services/waitlist.js";

/**
 * Every 5 minutes: lapsed waitlist offers pass their place on. A worker of its own, so it runs
 * whatever happens to the reminders; the event's `time` is "now".
 */
export const handler = middy<ScheduledEvent, { offersExpired: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const offersExpired = await expireOffers(new Date(event.time));
    logger.info("waitlist offers checked", { offersExpired });
    return { offersExpired };
  });
