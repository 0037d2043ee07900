import { describe, expect, it } from "vitest";
import { capabilities, routes } from "../routes.js";
import { buildOpenApi } from "./openapi.js";
import type { RouteDef } from "./route.js";

type Parameter = { name: string; in: string; required: boolean; schema: unknown };
type Operation = {
  operationId: string;
  parameters: Parameter[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
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
      if (route.auth !== "public") expect(codes).toEqual(expect.arrayContaining(["401", "403"]));
      for (const p of op.parameters) expect(["path", "query", "header", "cookie"]).toContain(p.in);
    }
    // every $ref points at a component that exists
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1] as string,
    );
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
  });
});
