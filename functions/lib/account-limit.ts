import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { takeFromWindow } from "../data/limits-repo.js";
import { LIMIT_WINDOW_SECONDS } from "../domain/throttling.js";
import { ApiError } from "./errors.js";
import { logger } from "./logger.js";
import { lookupHash } from "./pii.js";
import type { RouteDef } from "./route.js";
import type { Session } from "./session.js";

type Event = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;

/**
 * Per-caller limits that hold across Lambda instances. API Gateway's stage and route throttles are
 * shared by everyone; this one counts each account (or, on public routes such as login, each source
 * address) in fixed windows kept in DynamoDB, so a thousand warm containers still let one account
 * through `perMinute` times a window, not a thousand times that.
 */

/** The fixed window holding `nowMs`: its index, when it frees, and when its item may be deleted. */
export function windowAt(nowMs: number, windowSeconds = LIMIT_WINDOW_SECONDS) {
  const windowMs = windowSeconds * 1000;
  const index = Math.floor(nowMs / windowMs);
  const endsAtMs = (index + 1) * windowMs;
  return {
    index,
    endsAtMs,
    /** Whole seconds until the next window, never 0 (Retry-After). */
    retryAfterSeconds: Math.max(1, Math.ceil((endsAtMs - nowMs) / 1000)),
    /** TTL attribute (epoch seconds): a window later, so clock skew between instances never matters. */
    expiresAt: endsAtMs / 1000 + windowSeconds,
  };
}

/** 429 in the shared error shape, with Retry-After: the seconds until the caller's window frees. */
export class TooManyRequests extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "TOO_MANY_REQUESTS", `请求过于频繁，请 ${retryAfterSeconds} 秒后再试`, undefined, {
      "retry-after": String(retryAfterSeconds),
    });
  }
}

/** Past this the limiter gives up and lets the request through: it must never be the slow part. */
export const LIMITER_TIMEOUT_MS = 1_000;

export type WindowStore = typeof takeFromWindow;

/** A public route's caller: a keyed hash of the source address (the address itself is never stored). */
async function addressSubject(event: Event): Promise<string | undefined> {
  const address = event.requestContext?.http?.sourceIp;
  return address ? `ADDR#${await lookupHash("source-address", address)}` : undefined;
}

/**
 * Middleware for routes with `accountLimit`. `identify` authenticates as the handler does (a 401 or
 * 403 is thrown here, before anything is counted); the error middleware renders the 429.
 */
export function accountLimits(
  route: RouteDef,
  identify: (event: Event) => Promise<Session | undefined>,
  store: WindowStore = takeFromWindow,
): MiddlewareObj<Event, Response> {
  const limit = route.accountLimit;
  return {
    before: async (request) => {
      if (!limit) return;
      // A 401 or 403 is an answer, not a limiter failure: it stays outside the fail-open below.
      const session = route.auth === "public" ? undefined : await identify(request.event);
      if (route.auth !== "public" && !session) return;
      const window = windowAt(Date.now());
      let allowed: boolean;
      try {
        const subject = session ? `USER#${session.userId}` : await addressSubject(request.event);
        if (!subject) return;
        allowed = await store(
          { subject, group: limit.group, index: window.index, expiresAt: window.expiresAt },
          limit.perMinute,
          AbortSignal.timeout(LIMITER_TIMEOUT_MS),
        );
      } catch (error) {
        // Throttled, timed out or unreachable: the limit protects the API, it must not take it down.
        logger.warn("account limit unavailable, request let through", {
          limitGroup: limit.group,
          errorName: error instanceof Error ? error.name : typeof error,
        });
        return;
      }
      if (!allowed) {
        logger.info("account limit reached", { limitGroup: limit.group, perMinute: limit.perMinute });
        throw new TooManyRequests(window.retryAfterSeconds);
      }
    },
  };
}
