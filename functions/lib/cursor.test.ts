import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { ApiError } from "./errors.js";

const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

function rejection(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw new Error(`expected an ApiError, got ${String(error)}`);
  }
  throw new Error("expected the cursor to be refused");
}

describe("pagination cursors", () => {
  it("round-trips a LastEvaluatedKey for its own partition", () => {
    // Prepare
    const key = { pk: "CENTRE#c_demo", sk: "CENTRE", gsi1pk: "CENTRES", gsi1sk: "c_demo" };
    // Act
    const cursor = encodeCursor(key);
    const decoded = decodeCursor(cursor ?? undefined, { gsi1pk: "CENTRES" });
    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decoded).toEqual(key);
  });

  it("encodes no key as null and reads no cursor as the first page", () => {
    expect(encodeCursor(undefined)).toBeNull();
    expect(decodeCursor(undefined, { pk: "X" })).toBeUndefined();
    expect(decodeCursor("", { pk: "X" })).toBeUndefined();
  });

  it("keeps non-ASCII key values intact", () => {
    const key = { pk: "TEAM#团队一", sk: "MSG#2026-11-23T00:00:00Z#😀" };
    expect(decodeCursor(encodeCursor(key) ?? undefined, { pk: "TEAM#团队一" })).toEqual(key);
  });

  it.each([
    ["another partition", encodeCursor({ pk: "CENTRE#c_other", sk: "CENTRE" })],
    ["a missing partition key", encodeCursor({ sk: "CENTRE" })],
    ["a tampered partition value", encodeCursor({ pk: "CENTRE#c_demo ", sk: "CENTRE" })],
    ["a non-string key value", encodeCursor({ pk: "CENTRE#c_demo", sk: 5 })],
    ["a nested object value", encodeCursor({ pk: "CENTRE#c_demo", sk: { S: "CENTRE" } })],
    ["a JSON array", b64url('["CENTRE#c_demo"]')],
    ["JSON null", b64url("null")],
    ["a JSON string", b64url('"CENTRE#c_demo"')],
    ["a JSON number", b64url("42")],
    ["garbage that is not base64 JSON", "not a cursor!!"],
    ["truncated JSON", b64url('{"pk":"CENTRE#c_demo"').slice(0, -3)],
    ["a lone percent sign", "%"],
  ])("refuses %s with 400 INVALID_CURSOR naming the cursor", (_label, cursor) => {
    // Act
    const error = rejection(() => decodeCursor(cursor ?? "x", { pk: "CENTRE#c_demo" }));
    // Assess
    expect(error.status).toBe(400);
    expect(error.code).toBe("INVALID_CURSOR");
    expect(error.details).toEqual([{ path: "cursor", message: expect.any(String) }]);
  });
});
