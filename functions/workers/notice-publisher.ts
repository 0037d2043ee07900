import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { publishDue } from "../services/notices.js";

/**
 * Every 5 minutes: scheduled notices whose time has come are put on the fan-out queue, and fan-outs
 * that stopped making progress are resumed from their checkpoints (so no notice stays `publishing`).
 */
export const handler = middy<ScheduledEvent, Awaited<ReturnType<typeof publishDue>>>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const result = await publishDue(new Date(event.time));
    logger.info("scheduled notices published", { ...result });
    return result;
  });
