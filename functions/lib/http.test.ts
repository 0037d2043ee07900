import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, isRetryableAwsFailure } from "./errors.js";
import { httpHandler, RawResponse } from "./http.js";
import { logger } from "./logger.js";

/** A payload 2.0 event for GET /v1/health, as API Gateway would deliver it. */
const event = (): APIGatewayProxyEventV2 =>
  ({
    version: "2.0",
    routeKey: "GET /v1/health",
    rawPath: "/v1/health",
    rawQueryString: "",
    headers: {},
    requestContext: {
      requestId: "req-test-1",
      http: { method: "GET", path: "/v1/health", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "" },
      routeKey: "GET /v1/health",
      stage: "$default",
    },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const context = {
  functionName: "jiayi-platform",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:local:000000000000:function:jiayi-platform",
  memoryLimitInMB: "512",
  awsRequestId: "aws-req-1",
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** An error as the AWS SDK v3 throws it: a named Error with service metadata. */
function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} (simulated)`), {
    name,
    $fault: "server",
    $metadata: { httpStatusCode: 400, attempts: 3 },
    ...extra,
  });
}

const failingWith = (error: unknown) =>
  httpHandler("health", async () => {
    throw error;
  });

async function invoke(handler: ReturnType<typeof failingWith>) {
  return (await handler(event(), context)) as APIGatewayProxyStructuredResultV2 & {
    headers: Record<string, string>;
  };
}

beforeEach(() => {
  vi.spyOn(logger, "info").mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("httpHandler's edge headers", () => {
  it("marks a JSON answer no-store and nosniff", async () => {
    // Prepare
    const handler = httpHandler("health", async () => ({ status: "ok" as const }));
    // Act
    const res = (await handler(event(), context)) as { statusCode: number; headers: Record<string, string> };
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-request-id"]).toBe("req-test-1");
  });

  it("marks a raw answer (a download) the same way, and a handler cannot make it cacheable", async () => {
    // Prepare
    const handler = httpHandler(
      "health",
      async () =>
        new RawResponse(200, "a,b\n", {
          "content-type": "text/csv; charset=utf-8",
          "cache-control": "max-age=600",
        }),
    );
    // Act
    const res = (await handler(event(), context)) as { headers: Record<string, string>; body: string };
    // Assess
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("marks error answers, 4xx and 500 alike", async () => {
    vi.spyOn(logger, "error").mockImplementation(() => undefined);
    for (const error of [new ApiError(409, "SLOT_FULL", "满了"), new Error("boom")]) {
      const res = await invoke(failingWith(error));
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
    }
  });
});

describe("httpHandler's answer to AWS failures that outlived the SDK's retries", () => {
  const retryable: [string, unknown][] = [
    ["DynamoDB throttling", awsError("ThrottlingException")],
    ["provisioned throughput exceeded", awsError("ProvisionedThroughputExceededException")],
    ["account request limit", awsError("RequestLimitExceeded")],
    ["SQS throttling", awsError("ThrottledException")],
    ["SQS request throttled", awsError("RequestThrottled")],
    [
      "a transaction cancelled by a conflict",
      awsError("TransactionCanceledException", {
        CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }],
      }),
    ],
    ["a transaction conflict", awsError("TransactionConflictException")],
    ["DynamoDB internal error", awsError("InternalServerError", { $metadata: { httpStatusCode: 500 } })],
    ["service unavailable", awsError("ServiceUnavailable", { $metadata: { httpStatusCode: 503 } })],
    ["an SDK time-out", awsError("TimeoutError")],
    ["a request time-out", awsError("RequestTimeout")],
    ["a reset connection", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })],
    ["a timed-out socket", Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" })],
    [
      "a reset connection wrapped as a cause",
      new Error("send failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) }),
    ],
  ];

  it.each(retryable)("answers 503 SERVICE_UNAVAILABLE with Retry-After for %s", async (_label, error) => {
    // Prepare
    vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    // Act
    const res = await invoke(failingWith(error));
    // Assess
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("1");
    expect(res.headers["cache-control"]).toBe("no-store");
    const body = JSON.parse(String(res.body)) as {
      error: { code: string; message: string; requestId: string };
    };
    expect(body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(body.error.requestId).toBe("req-test-1");
    expect(warn).toHaveBeenCalled();
  });

  const notRetryable: [string, unknown][] = [
    [
      "a transaction cancelled only by failed conditions",
      awsError("TransactionCanceledException", {
        CancellationReasons: [{ Code: "ConditionalCheckFailed" }, { Code: "None" }],
      }),
    ],
    ["a validation error (a bug in the request we built)", awsError("ValidationException")],
    ["access denied (a missing grant)", awsError("AccessDeniedException")],
    ["a missing table", awsError("ResourceNotFoundException")],
    ["a plain bug", new TypeError("Cannot read properties of undefined")],
  ];

  it.each(notRetryable)("still answers a generic 500 for %s", async (_label, error) => {
    // Prepare
    const logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    // Act
    const res = await invoke(failingWith(error));
    // Assess
    expect(res.statusCode).toBe(500);
    expect(res.headers["retry-after"]).toBeUndefined();
    expect(JSON.parse(String(res.body)).error.code).toBe("INTERNAL");
    expect(logged).toHaveBeenCalled();
  });

  it("keeps a deliberate 503's own code and adds Retry-After", async () => {
    const res = await invoke(failingWith(new ApiError(503, "DATABASE_UNAVAILABLE", "数据库暂时不可用")));
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("1");
    expect(JSON.parse(String(res.body)).error.code).toBe("DATABASE_UNAVAILABLE");
  });

  it("classifies without throwing on odd values", () => {
    for (const value of [undefined, null, "ThrottlingException", 42, {}, { name: 5 }]) {
      expect(isRetryableAwsFailure(value)).toBe(false);
    }
    const cyclic: { name: string; cause?: unknown } = { name: "Error" };
    cyclic.cause = cyclic;
    expect(isRetryableAwsFailure(cyclic)).toBe(false);
  });
});
