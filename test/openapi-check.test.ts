import { describe, expect, it } from "vitest";
import { buildOpenApi } from "../functions/lib/openapi.js";
import { capabilities } from "../functions/routes.js";
import { createResponseChecker, type Exchange, formatSummary } from "./support/openapi-check.js";

/**
 * The response check after the run (test/support/after-run.ts) is only worth something if it fails
 * when it should: known-good and known-bad synthetic exchanges against the real document.
 */
const checker = createResponseChecker(buildOpenApi(capabilities, { includeLocalOnly: true }));

const EDGE = { "cache-control": "no-store", "x-content-type-options": "nosniff", "x-request-id": "r-1" };
const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

function exchange(
  method: string,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Exchange {
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  return {
    method,
    path,
    status,
    headers: { ...EDGE, ...(body === undefined ? {} : JSON_TYPE), ...headers },
    body: text,
    bodyBytes: Buffer.byteLength(text),
  };
}
const error = (code: string, message = "说明") => ({ error: { code, message, requestId: "r-1" } });
const appointment = {
  appointmentId: "a_01",
  slotId: "s_01",
  residentId: "r_01",
  residentName: "测试",
  teamId: "t_01",
  serviceType: "consultation",
};

const failuresOf = (e: Exchange) => checker.check(e).failures;

describe("the OpenAPI response check", () => {
  it("compiles every JSON response schema of the document in ajv's strict mode", () => {
    expect(checker.compileAll()).toEqual([]);
  });

  it.each([
    ["a health answer", exchange("GET", "/v1/health", 200, { status: "ok" })],
    ["a declared 409 of booking", exchange("POST", "/v1/appointments", 409, error("SLOT_FULL"))],
    [
      "a validation error with details",
      exchange("POST", "/v1/appointments", 400, {
        error: {
          code: "VALIDATION_FAILED",
          message: "x",
          details: [{ path: "Idempotency-Key", message: "y" }],
        },
      }),
    ],
    [
      "a 409 of a route with path parameters, query string and all",
      exchange("POST", "/v1/appointments/a_1/cancel?x=1", 409, error("TOO_LATE_TO_CANCEL")),
    ],
    [
      "a retryable 503 with Retry-After",
      exchange("POST", "/v1/appointments", 503, error("SERVICE_UNAVAILABLE"), { "retry-after": "1" }),
    ],
    [
      "API Gateway's own throttling answer",
      exchange("GET", "/v1/me", 429, { message: "Too Many Requests" }, { "retry-after": "1" }),
    ],
    ["an empty 204", exchange("POST", "/v1/notices/n_1/read", 204, undefined)],
    [
      "the CSV report",
      exchange("GET", "/v1/centres/c_demo/reports/monthly?format=csv", 200, "\ufeff团队,签约\n", {
        "content-type": "text/csv; charset=utf-8",
      }),
    ],
    [
      "the XLSX report (binary, body not kept)",
      {
        ...exchange("GET", "/v1/centres/c_demo/reports/monthly?format=xlsx", 200, undefined, {
          "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }),
        body: undefined,
        bodyBytes: 6000,
      },
    ],
    [
      "the gateway's 404 for an unknown API path",
      exchange("GET", "/v1/nothing-here", 404, error("NOT_FOUND")),
    ],
    ["a CORS preflight", exchange("OPTIONS", "/v1/appointments", 204, undefined)],
    [
      "a request outside the API",
      exchange("GET", "/index.html", 200, "<html>", { "content-type": "text/html" }),
    ],
  ])("passes %s", (_label, e) => {
    expect(failuresOf(e)).toEqual([]);
  });

  it.each([
    [
      "an undeclared status",
      exchange("GET", "/v1/health", 418, error("TEAPOT")),
      /status 418 .*not declared/,
    ],
    [
      "an error code the operation does not declare",
      exchange("POST", "/v1/appointments", 409, error("NOT_A_REAL_CODE")),
      /does not match the schema/,
    ],
    [
      "another operation's code",
      exchange("POST", "/v1/appointments/a_1/cancel", 409, error("SLOT_FULL")),
      /does not match the schema \(error.code SLOT_FULL\)/,
    ],
    ["a wrong success shape", exchange("GET", "/v1/health", 200, { status: "degraded" }), /does not match/],
    [
      "an unknown field in a strict body",
      exchange("POST", "/v1/appointments", 409, { error: { code: "SLOT_FULL", message: "x", stack: "…" } }),
      /does not match/,
    ],
    [
      "an undeclared media type",
      exchange("GET", "/v1/health", 200, "<html>", { "content-type": "text/html" }),
      /media type "text\/html" is not declared/,
    ],
    [
      "CSV from an operation that only answers JSON",
      exchange("GET", "/v1/me/appointments", 200, "a,b\n", { "content-type": "text/csv" }),
      /media type "text\/csv" is not declared/,
    ],
    [
      "a JSON content type over a body that is not JSON",
      exchange("GET", "/v1/health", 200, "ok", JSON_TYPE),
      /is not JSON/,
    ],
    [
      "a 503 without Retry-After",
      exchange("POST", "/v1/appointments", 503, error("SERVICE_UNAVAILABLE")),
      /Retry-After is missing/,
    ],
    [
      "a response a cache may keep",
      exchange("GET", "/v1/health", 200, { status: "ok" }, { "cache-control": "max-age=60" }),
      /header Cache-Control/,
    ],
    [
      "a response without nosniff",
      {
        ...exchange("GET", "/v1/health", 200, { status: "ok" }),
        headers: { ...JSON_TYPE, "cache-control": "no-store", "x-request-id": "r" },
      },
      /X-Content-Type-Options is missing/,
    ],
    [
      "a body on a 204",
      exchange("POST", "/v1/notices/n_1/read", 204, { ok: true }),
      /a body .* where none is declared/,
    ],
    ["an empty 200 where JSON is declared", exchange("GET", "/v1/health", 200, undefined), /an empty body/],
    [
      "a 500 from a path that matches no operation",
      exchange("DELETE", "/v1/health", 500, error("INTERNAL")),
      /matching no operation got 500/,
    ],
  ])("fails %s", (_label, e, reason) => {
    const failures = failuresOf(e);
    expect(failures.length, JSON.stringify(failures)).toBeGreaterThan(0);
    expect(failures.map((f) => f.reason).join(" | ")).toMatch(reason);
  });

  it("names the operation, the status and the first schema errors in its summary", () => {
    // Prepare
    const exchanges = [
      exchange("GET", "/v1/health", 200, { status: "ok" }),
      exchange("POST", "/v1/appointments", 201, { ...appointment, status: "weird" }),
      exchange("POST", "/v1/appointments", 409, error("NOT_A_REAL_CODE")),
      exchange("POST", "/v1/appointments", 409, error("NOT_A_REAL_CODE")),
      exchange("GET", "/some/page", 404, "nope", { "content-type": "text/plain" }),
    ];
    // Act
    const summary = checker.checkAll(exchanges);
    const lines = formatSummary(summary, checker.operationIds);
    // Assess
    expect(summary.checked).toBe(4);
    expect(summary.notApi).toBe(1);
    expect([...summary.operations.keys()].sort()).toEqual(["bookAppointment", "health"]);
    expect(lines[0]).toMatch(
      /^response check: 4 API responses checked .* 2\/\d+ operations covered, 3 failures/,
    );
    const report = lines.join("\n");
    expect(report).toContain("✗ bookAppointment 409");
    expect(report).toContain("(×2");
    expect(report).toMatch(/\/error\/code must be equal to one of the allowed values \[.*"SLOT_FULL"/);
    expect(report).toContain("✗ bookAppointment 201");
  });
});
