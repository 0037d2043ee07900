import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyseHandlers } from "../../test/support/error-codes.js";
import { capabilities, routes } from "../routes.js";
import { buildOpenApi, errorCodesOf } from "./openapi.js";
import { operationFacts } from "./openapi-errors.generated.js";
import type { RouteDef } from "./route.js";

type Parameter = { name: string; in: string; required: boolean; schema: unknown };
type Response = {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: unknown }>;
};
type Operation = {
  operationId: string;
  parameters: Parameter[];
  responses: Record<string, Response>;
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  security: unknown[];
};
type Doc = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

const all: readonly RouteDef[] = routes;
const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

describe("buildOpenApi", () => {
  it("lists every operationId of the route table exactly once when local-only routes are included", () => {
    // Prepare
    const expected = all.map((r) => r.operationId).sort();
    // Act
    const doc = buildOpenApi(capabilities, { includeLocalOnly: true }) as Doc;
    // Assess
    const ids = operations(doc).map(({ op }) => op.operationId);
    expect(ids.sort()).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("places each operation under its own path and method", () => {
    const doc = buildOpenApi(capabilities, { includeLocalOnly: true }) as Doc;
    for (const route of all) {
      expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.operationId, route.operationId).toBe(
        route.operationId,
      );
    }
  });

  it("leaves out local-only routes for a deployed stage, and only those", () => {
    // Prepare
    const localOnly = all.filter((r) => r.localOnly).map((r) => r.operationId);
    // Act
    const doc = buildOpenApi(capabilities, { includeLocalOnly: false }) as Doc;
    // Assess
    const ids = operations(doc).map(({ op }) => op.operationId);
    expect(localOnly).toContain("devLogin");
    for (const id of localOnly) expect(ids).not.toContain(id);
    expect(ids.sort()).toEqual(
      all
        .filter((r) => !r.localOnly)
        .map((r) => r.operationId)
        .sort(),
    );
  });

  it("declares every {param} of a path as a required path parameter, and no others", () => {
    const doc = buildOpenApi(capabilities, { includeLocalOnly: true }) as Doc;
    for (const { path, op } of operations(doc)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = op.parameters.filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).sort(), op.operationId).toEqual(inPath);
      for (const p of declared) expect(p.required, `${op.operationId} ${p.name}`).toBe(true);
    }
  });

  it("is a valid-looking OpenAPI 3.1 document: responses everywhere, bodies where routes take them", () => {
    // Act
    const doc = buildOpenApi(capabilities, { includeLocalOnly: true }) as Doc;
    // Assess
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(doc.components.schemas.Error).toBeDefined();
    expect(() => JSON.stringify(doc)).not.toThrow();
    for (const route of all) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()] as Operation;
      const codes = Object.keys(op.responses);
      expect(codes.length, route.operationId).toBeGreaterThan(0);
      expect(codes, route.operationId).toContain(String(route.status));
      for (const [code, response] of Object.entries(op.responses)) {
        expect(code).toMatch(/^[1-5]\d\d$/);
        expect(typeof response.description).toBe("string");
      }
      expect(Boolean(op.requestBody), route.operationId).toBe(Boolean(route.body));
      if (route.body) expect(op.requestBody?.content["application/json"]?.schema).toBeDefined();
      expect(op.security, route.operationId).toEqual(route.auth === "public" ? [] : [{ bearer: [] }]);
      if (route.auth !== "public") expect(codes, route.operationId).toContain("401");
      if (Array.isArray(route.auth)) expect(codes, route.operationId).toContain("403");
      for (const p of op.parameters) expect(["path", "query", "header", "cookie"]).toContain(p.in);
    }
    // every $ref points at a component that exists
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
  });
});

/** The `error.code` values a response's schema allows (allOf [Error, {code: enum}], maybe anyOf a gateway body). */
function declaredCodes(response: Response | undefined): string[] {
  const text = JSON.stringify(response?.content?.["application/json"]?.schema ?? {});
  const match = /"code":\{"enum":(\[[^\]]*\])\}/.exec(text);
  return match?.[1] ? (JSON.parse(match[1]) as string[]) : [];
}

describe("buildOpenApi: every status and error code an operation can answer", () => {
  const doc = buildOpenApi(capabilities, { includeLocalOnly: true }) as Doc;
  const opOf = (route: RouteDef) => doc.paths[route.path]?.[route.method.toLowerCase()] as Operation;

  it("keeps the generated error catalogue in step with the handlers' code", () => {
    // Act: the same call-graph analysis that wrote functions/lib/openapi-errors.generated.ts
    const fresh = analyseHandlers();
    // Assess
    expect(
      fresh,
      "stale: run `npx tsx test/support/error-codes.ts --write` and commit functions/lib/openapi-errors.generated.ts",
    ).toEqual(operationFacts);
    expect(Object.keys(fresh).sort()).toEqual(all.map((r) => r.operationId).sort());
  }, 120_000);

  it("declares 413, 429, 500 and a retryable 503 with Retry-After on every operation, 415 where a body is read", () => {
    for (const route of all) {
      const op = opOf(route);
      for (const status of ["413", "429", "500", "503"])
        expect(op.responses, route.operationId).toHaveProperty(status);
      expect(declaredCodes(op.responses["503"]), route.operationId).toContain("SERVICE_UNAVAILABLE");
      expect(declaredCodes(op.responses["429"]), route.operationId).toContain("TOO_MANY_REQUESTS");
      expect(declaredCodes(op.responses["413"]), route.operationId).toContain("PAYLOAD_TOO_LARGE");
      expect(op.responses["503"]?.headers, route.operationId).toHaveProperty("Retry-After");
      expect(Boolean(op.responses["415"]), route.operationId).toBe(Boolean(route.body));
      if (route.body) expect(declaredCodes(op.responses["400"]), route.operationId).toContain("INVALID_JSON");
      for (const response of Object.values(op.responses)) {
        expect(response.headers, route.operationId).toHaveProperty("Cache-Control");
        expect(response.headers, route.operationId).toHaveProperty("X-Content-Type-Options");
      }
    }
  });

  it("lists each status's codes in its schema, exactly those of errorCodesOf", () => {
    for (const route of all) {
      const op = opOf(route);
      const expected = errorCodesOf(route);
      for (const [status, codes] of Object.entries(expected)) {
        expect(declaredCodes(op.responses[status]), `${route.operationId} ${status}`).toEqual(codes);
      }
      const errorStatuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      expect(errorStatuses.sort(), route.operationId).toEqual(Object.keys(expected).sort());
    }
  });

  it("declares the contract's documented answers (API.md)", () => {
    const expectations: [string, string, string[]][] = [
      [
        "bookAppointment",
        "409",
        ["SLOT_FULL", "DUPLICATE_BOOKING", "BOOKING_LIMIT", "IDEMPOTENCY_KEY_REUSED"],
      ],
      ["bookAppointment", "403", ["NOT_SIGNED", "NOT_ELIGIBLE"]],
      ["bookAppointment", "404", ["NOT_FOUND"]],
      ["cancelAppointment", "409", ["TOO_LATE_TO_CANCEL"]],
      ["applyContract", "409", ["ALREADY_SIGNED", "TEAM_FULL"]],
      ["registerLecture", "409", ["LECTURE_FULL", "ALREADY_REGISTERED"]],
      ["submitSurveyResponse", "409", ["ALREADY_ANSWERED"]],
      ["getConfig", "409", ["VERSION_OUTDATED"]],
      ["updateMyProfile", "409", ["ID_ALREADY_REGISTERED"]],
      ["claimInvitation", "404", ["INVITATION_INVALID"]],
      ["wechatLogin", "401", ["INVALID_WECHAT_CODE"]],
      ["wechatLogin", "503", ["WECHAT_UNAVAILABLE", "SERVICE_UNAVAILABLE"]],
      ["health", "503", ["DATABASE_UNAVAILABLE", "SERVICE_UNAVAILABLE"]],
      ["listSlots", "400", ["VALIDATION_FAILED", "INVALID_CURSOR", "BAD_PATH"]],
      // through helpers: changedMeanwhile(), ID_TAKEN(), INVALID(), domain verdicts
      ["approveContract", "409", ["CONTRACT_CHANGED", "INVALID_STATE"]],
      ["addFamilyMember", "409", ["ID_ALREADY_REGISTERED", "FAMILY_LIMIT"]],
    ];
    for (const [operationId, status, codes] of expectations) {
      const route = all.find((r) => r.operationId === operationId) as RouteDef;
      expect(declaredCodes(opOf(route).responses[status]), `${operationId} ${status}`).toEqual(
        expect.arrayContaining(codes),
      );
    }
  });

  it("follows calls, not modules: an operation declares only what its own code paths throw", () => {
    const codesOf = (operationId: string) =>
      Object.values(errorCodesOf(all.find((r) => r.operationId === operationId) as RouteDef)).flat();
    // services/appointments.ts serves both; listing slots cannot cancel or book anything
    expect(codesOf("listSlots")).not.toContain("SLOT_FULL");
    expect(codesOf("listSlots")).not.toContain("TOO_LATE_TO_CANCEL");
    expect(codesOf("cancelAppointment")).not.toContain("SLOT_FULL");
    expect(codesOf("getMe")).not.toContain("ID_ALREADY_REGISTERED");
    expect(Object.keys(errorCodesOf(all.find((r) => r.operationId === "getOpenApi") as RouteDef))).toEqual([
      "413",
      "429",
      "500",
      "503",
    ]);
  });

  it("declares every error code the functions can throw on some operation", () => {
    // Prepare: a plain text scan, independent of the call-graph analysis
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? e.name === "workers"
            ? []
            : files(join(dir, e.name))
          : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.includes(".generated.")
            ? [join(dir, e.name)]
            : [],
      );
    const thrown = new Set<string>();
    for (const file of files("functions")) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/new ApiError\(\s*\d{3},\s*"([A-Z_]+)"|conflict\(\s*"([A-Z_]+)"/g)) {
        thrown.add((m[1] ?? m[2]) as string);
      }
    }
    // Act
    const declared = new Set(all.flatMap((route) => Object.values(errorCodesOf(route)).flat()));
    // Assess
    expect(thrown.size).toBeGreaterThan(20);
    expect([...thrown].filter((code) => !declared.has(code))).toEqual([]);
  });

  it("declares the report downloads' media types", () => {
    const route = all.find((r) => r.operationId === "monthlyReport") as RouteDef;
    const content = opOf(route).responses["200"]?.content ?? {};
    expect(Object.keys(content).sort()).toEqual([
      "application/json",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "text/csv",
    ]);
  });

  it("documents the Idempotency-Key header where a handler reads it", () => {
    for (const operationId of ["bookAppointment", "recordService"]) {
      const route = all.find((r) => r.operationId === operationId) as RouteDef;
      const header = opOf(route).parameters.find((p) => p.in === "header");
      expect(header, operationId).toMatchObject({ name: "Idempotency-Key", required: false });
      expect(header?.schema, operationId).toMatchObject({ maxLength: 255 });
    }
  });
});
