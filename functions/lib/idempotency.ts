import { ApiError } from "./errors.js";

/** Longest Idempotency-Key accepted (the IETF draft's and most clients' limit). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/**
 * Printable ASCII, spaces included (an RFC 8941 sf-string, as the IETF Idempotency-Key draft has
 * it): UUIDs, ULIDs, `order.42.retry`, quoted keys — whatever a standard client generates.
 */
const KEY = new RegExp(`^[\\x20-\\x7e]{1,${IDEMPOTENCY_KEY_MAX_LENGTH}}$`);

/** The request's Idempotency-Key when it has one; 400 naming the header when it is unusable. */
export function idempotencyKeyOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!KEY.test(value)) {
    throw new ApiError(
      400,
      "VALIDATION_FAILED",
      `Idempotency-Key 须为 1–${IDEMPOTENCY_KEY_MAX_LENGTH} 个可打印 ASCII 字符`,
      [{ path: "Idempotency-Key", message: "格式无效" }],
    );
  }
  return value;
}
