/** An error that becomes a 4xx (or a deliberate 503) with the shared error shape; anything else is a generic 500. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
    /** Extra response headers, e.g. `retry-after` on a 429 or 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (message: string, details?: { path: string; message: string }[]) =>
  new ApiError(400, "VALIDATION_FAILED", message, details);
export const fieldError = (path: string, message: string) => badRequest(message, [{ path, message }]);
export const unauthenticated = (message = "请先登录") => new ApiError(401, "UNAUTHENTICATED", message);
export const forbidden = (message = "无权访问该资源") => new ApiError(403, "FORBIDDEN", message);
export const notFound = (message = "资源不存在") => new ApiError(404, "NOT_FOUND", message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

/** Seconds a client should wait before retrying a 503 (sent as `Retry-After`). */
export const RETRY_AFTER_SECONDS = 1;

/** The documented retryable answer: AWS was busy or did not answer in time; the same request may be sent again. */
export const serviceUnavailable = (message = "服务繁忙，请稍后重试") =>
  new ApiError(503, "SERVICE_UNAVAILABLE", message, undefined, {
    "retry-after": String(RETRY_AFTER_SECONDS),
  });

/** Error names AWS services (DynamoDB, SQS, Secrets Manager, SSM) give to throttling. */
const THROTTLING = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
]);
/** Server-side failures AWS documents as safe to retry. */
const TRANSIENT = new Set([
  "TransactionConflictException",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
]);
/** The SDK's own time-outs, and the socket failures behind an unanswered request. */
const TIMEOUTS = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const SOCKET_CODES = new Set(["ECONNRESET", "ETIMEDOUT", "EPIPE", "ECONNREFUSED", "EAI_AGAIN"]);
/** TransactionCanceledException reasons that say "try again", not "a condition failed". */
const RETRYABLE_REASONS = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
]);

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  CancellationReasons?: { Code?: string }[];
  cause?: unknown;
}

/**
 * True for an AWS failure that survived the SDK's own retries but may well succeed a moment later:
 * throttling, transaction conflicts, a service's 500/503, time-outs and reset connections. Such a
 * request answers 503 with `Retry-After`, never 500 (the request was fine; the platform was busy).
 * A transaction cancelled only because its conditions failed is not retryable: that is a business
 * answer, given where the transaction is written (data/transactions.ts).
 */
export function isRetryableAwsFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 3) return false;
  const { name, code, CancellationReasons, cause } = error as AwsLikeError;
  if (typeof name === "string") {
    if (THROTTLING.has(name) || TRANSIENT.has(name) || TIMEOUTS.has(name)) return true;
    if (name === "TransactionCanceledException") {
      const reasons = (CancellationReasons ?? []).map((r) => r?.Code ?? "None");
      return reasons.some((r) => RETRYABLE_REASONS.has(r));
    }
  }
  if (typeof code === "string" && SOCKET_CODES.has(code)) return true;
  return isRetryableAwsFailure(cause, depth + 1);
}
