import { describe, expect, it } from "vitest";
import { ApiError } from "./errors.js";
import { IDEMPOTENCY_KEY_MAX_LENGTH, idempotencyKeyOf } from "./idempotency.js";

describe("idempotencyKeyOf", () => {
  it.each([
    ["a UUID", "3f2b8c1e-9d4a-4b6f-8e2a-7c5d1f0a9b3e"],
    ["a ULID", "01JF3Z8X9K2M4N6P8Q0R2S4T6V"],
    ["a key with dots", "booking.2026-12-01.slot_42.retry"],
    ["a short key", "k"],
    ["printable punctuation", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"],
    ["a key with spaces", "my key 1"],
    ["a quoted sf-string", '"8e03978e-40d5-43e8-bc93-6894a57f9324"'],
    ["the longest key", "x".repeat(IDEMPOTENCY_KEY_MAX_LENGTH)],
  ])("accepts %s", (_label, key) => {
    expect(idempotencyKeyOf(key)).toBe(key);
  });

  it("passes through a request without the header", () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
  });

  it.each([
    ["an empty key", ""],
    ["a key over 255 characters", "x".repeat(IDEMPOTENCY_KEY_MAX_LENGTH + 1)],
    ["a control character", "abc\tdef"],
    ["non-ASCII", "预约-1"],
    ["DEL", "abc\x7f"],
  ])("answers 400 VALIDATION_FAILED naming the header for %s", (_label, key) => {
    let thrown: unknown;
    try {
      idempotencyKeyOf(key);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).status).toBe(400);
    expect((thrown as ApiError).code).toBe("VALIDATION_FAILED");
    expect((thrown as ApiError).details?.[0]?.path).toBe("Idempotency-Key");
  });
});
