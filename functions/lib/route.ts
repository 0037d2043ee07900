import type * as z from "zod/mini";
import type { Role } from "../../shared/enums.js";

/**
 * AWS access beyond the table: the root secret (Secrets Manager), the WeChat AppSecret (SSM) with
 * the WeChat settings, and sending to one of the work queues.
 */
/** "subscribe-templates": only the WeChat template ids in the environment (no secret, no grant). */
export type AwsUse = "secrets" | "wechat" | "subscribe-templates" | "notices-queue" | "reminders-queue";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * Who may call a route, checked before the handler runs. "public" needs no token; "user" any
 * logged-in account; a role list needs one of those roles. Finer checks (is this resident mine?)
 * belong to the handler's domain rules.
 */
export type RouteAuth = "public" | "user" | readonly Role[];

/** One row of the route table: the single source for CDK, the local gateway and OpenAPI. */
export interface RouteDef {
  operationId: string;
  method: HttpMethod;
  /** API Gateway style path, e.g. `/v1/centres/{centreId}/teams`. */
  path: string;
  summary: string;
  auth: RouteAuth;
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  /** Success status and body schema (null for an empty body). */
  status: number;
  response: z.ZodMiniType | null;
  /** Only served by the local gateway; never synthesized into the deployed API. */
  localOnly?: boolean;
  /** DynamoDB access the function needs; CDK grants exactly this. */
  data: "none" | "read" | "readwrite";
  /**
   * Route throttling (API Gateway route settings in the stack): steady requests per second and
   * burst, shared by every caller of the route, sized in functions/domain/throttling.ts. Routes
   * without it get the stage default.
   */
  throttle?: { rate: number; burst: number };
  /**
   * Per-caller limit counted in DynamoDB across all Lambda instances (functions/lib/account-limit.ts):
   * per account, or per source address on public routes; routes naming the same group share a count.
   * Answers 429 TOO_MANY_REQUESTS with Retry-After; needs `data: "readwrite"`.
   */
  accountLimit?: { group: string; perMinute: number };
  /** Other AWS access the function needs (see functions/deployment.ts for what each grants). */
  uses?: readonly AwsUse[];
}
