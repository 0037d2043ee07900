import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import * as z from "zod/mini";
import zhCN from "zod/v4/locales/zh-CN.js";
import { type OperationId, type RouteOf, routeById } from "../routes.js";
import { accountLimits } from "./account-limit.js";
import {
  ApiError,
  forbidden,
  isRetryableAwsFailure,
  RETRY_AFTER_SECONDS,
  serviceUnavailable,
  unauthenticated,
} from "./errors.js";
import { logger } from "./logger.js";
import type { RouteDef } from "./route.js";
import { type Session, verifySession } from "./session.js";
import { deadlineOf, withDeadline } from "./time-budget.js";

// Validation messages in Chinese for the people who read them.
z.config(zhCN());

export const MAX_BODY_BYTES = 64 * 1024;

type Infer<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;

export interface HttpRequest<R extends RouteDef> {
  params: Infer<R["params"]>;
  query: Infer<R["query"]>;
  body: Infer<R["body"]>;
  /** Present on every route whose auth is not "public". */
  session: R["auth"] extends "public" ? Session | undefined : Session;
  headers: Record<string, string | undefined>;
  requestId: string;
}

/** A response that is not JSON (CSV, XLSX, the OpenAPI document's cache headers…). */
export class RawResponse {
  constructor(
    readonly statusCode: number,
    readonly body: string,
    readonly headers: Record<string, string>,
    readonly isBase64Encoded = false,
  ) {}
}

type Result<R extends RouteDef> = R["response"] extends z.ZodMiniType
  ? z.input<R["response"]> | RawResponse
  : undefined;

type Event = APIGatewayProxyEventV2;
type Response = APIGatewayProxyStructuredResultV2;

/**
 * On every answer, whatever its kind: personal and health data must not sit in a browser, proxy or
 * CDN cache, and no client may sniff a JSON or CSV body into something executable.
 */
export const EDGE_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

const json = (
  statusCode: number,
  body: unknown,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): Response => ({
  statusCode,
  headers: {
    ...extraHeaders,
    "content-type": "application/json; charset=utf-8",
    "x-request-id": requestId,
    ...EDGE_HEADERS,
  },
  body: body === undefined ? "" : JSON.stringify(body),
});

const lowerKeys = (headers: Event["headers"]) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));

function issuesToDetails(error: z.core.$ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

function validate<S extends z.ZodMiniType | undefined>(schema: S, value: unknown, what: string): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ApiError(400, "VALIDATION_FAILED", `${what}不符合要求`, issuesToDetails(parsed.error));
  return parsed.data as Infer<S>;
}

function readBody(event: Event, route: RouteDef): unknown {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, "base64")
      : Buffer.from(event.body)
    : null;
  if (raw && raw.byteLength > MAX_BODY_BYTES) {
    throw new ApiError(413, "PAYLOAD_TOO_LARGE", `请求体不能超过 ${MAX_BODY_BYTES / 1024} KB`);
  }
  if (!route.body) return undefined;
  if (!raw || raw.byteLength === 0) return {};
  const contentType = lowerKeys(event.headers)["content-type"] ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "请求体须为 application/json");
  }
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiError(400, "INVALID_JSON", "请求体不是有效的 JSON");
  }
}

async function authenticate(route: RouteDef, headers: Record<string, string | undefined>) {
  if (route.auth === "public") return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? "");
  const session = match?.[1] ? await verifySession(match[1]) : undefined;
  if (!session) throw unauthenticated();
  if (route.auth !== "user" && !route.auth.some((role) => session.roles.includes(role))) {
    throw forbidden("当前账号没有执行此操作的角色");
  }
  // The district's accounts read; they change nothing anywhere, not even as a resident.
  if (session.roles.includes("district") && route.method !== "GET") {
    throw forbidden("区卫健委账号为只读账号，不能进行修改操作");
  }
  return session;
}

/** Every line logged during a request names the operation and the request id. */
const requestLogging = (route: RouteDef): MiddlewareObj<Event, Response> => ({
  before: (request) => {
    logger.appendKeys({ operation: route.operationId, requestId: request.event.requestContext?.requestId });
  },
  after: (request) => {
    logger.info("request", { status: request.response?.statusCode });
  },
});

/**
 * Last in the chain: known 4xx keep their code and details; AWS failures worth retrying (throttling,
 * transaction conflicts, time-outs) become 503 SERVICE_UNAVAILABLE with Retry-After; anything else is
 * a generic 500.
 */
const errorResponses = (): MiddlewareObj<Event, Response> => ({
  onError: (request) => {
    const requestId = request.event.requestContext?.requestId ?? "unknown";
    let error = request.error;
    if (!(error instanceof ApiError) && isRetryableAwsFailure(error)) {
      const { name, code } = error as Error & { code?: unknown };
      logger.warn("retryable AWS failure", { errorName: name, errorCode: code });
      error = serviceUnavailable();
    }
    if (error instanceof ApiError) {
      logger.info("request rejected", { status: error.status, errorCode: error.code });
      const retry: Record<string, string> =
        error.status === 503 ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {};
      const headers = { ...retry, ...error.headers };
      request.response = json(
        error.status,
        { error: { code: error.code, message: error.message, details: error.details, requestId } },
        requestId,
        headers,
      );
      return;
    }
    logger.error("unhandled error", error as Error);
    request.response = json(
      500,
      { error: { code: "INTERNAL", message: "服务暂时不可用，请稍后再试", requestId } },
      requestId,
    );
  },
});

/**
 * Wraps a route's business function: auth → parse → validate → call → shape the response.
 * Response bodies are checked against the route's schema outside production, so contract drift
 * (an unmasked field, a missing one) fails tests instead of reaching users.
 */
export function httpHandler<I extends OperationId>(
  operationId: I,
  fn: (request: HttpRequest<RouteOf<I>>) => Promise<Result<RouteOf<I>>>,
) {
  const route: RouteDef = routeById(operationId);
  const checkResponses = process.env.VALIDATE_RESPONSES === "true";
  // The token is checked once per request, for the account limit and the handler alike.
  const sessions = new WeakMap<Event, ReturnType<typeof authenticate>>();
  const sessionOf = (event: Event) => {
    let session = sessions.get(event);
    if (!session) {
      session = authenticate(route, lowerKeys(event.headers));
      sessions.set(event, session);
    }
    return session;
  };
  // accountLimits: the caller's per-account (or per-address) limit, after authenticating.
  return (
    middy<Event, Response, Error, Context>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .use(requestLogging(route))
      .use(errorResponses())
      .use(accountLimits(route, sessionOf))
      // Retries inside (data/transactions.ts) stop 1 s before the function's timeout, so it answers.
      .handler((event, context) => withDeadline(deadlineOf(context, 1_000), () => handle(event)))
  );
  async function handle(event: Event): Promise<Response> {
    const requestId = event.requestContext?.requestId ?? "unknown";
    const headers = lowerKeys(event.headers);
    const session = await sessionOf(event);
    const body = readBody(event, route);
    const request = {
      params: validate(route.params, event.pathParameters ?? {}, "路径参数"),
      query: validate(route.query, event.queryStringParameters ?? {}, "查询参数"),
      body: validate(route.body, body, "请求内容"),
      session,
      headers,
      requestId,
    } as HttpRequest<RouteOf<I>>;
    const result: unknown = await fn(request);
    if (result instanceof RawResponse) {
      const { statusCode, body: raw, isBase64Encoded } = result;
      return {
        statusCode,
        body: raw,
        isBase64Encoded,
        headers: { ...result.headers, "x-request-id": requestId, ...EDGE_HEADERS },
      };
    }
    if (checkResponses && route.response) {
      const parsed = route.response.safeParse(result);
      if (!parsed.success) {
        throw new Error(`Response of ${route.operationId} breaks its schema: ${parsed.error.message}`);
      }
    }
    return json(route.status, route.response ? result : undefined, requestId);
  }
}
