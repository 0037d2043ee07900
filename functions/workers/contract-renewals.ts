import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import { logger } from "../lib/logger.js";
import { runRenewals } from "../services/renewals.js";

/**
 * Daily at 00:10 China time. The event's `time` is "now", so a re-run for a past day does exactly
 * that day's work; every step is conditioned on the contract's status, so a re-run changes nothing.
 * `detail.teamId` narrows the run to one team (operations, and tests that must not touch others).
 */
export const handler = middy<ScheduledEvent<{ teamId?: string }>, Awaited<ReturnType<typeof runRenewals>>>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const result = await runRenewals(new Date(event.time), event.detail?.teamId);
    logger.info("contract renewals done", { ...result });
    return result;
  });
