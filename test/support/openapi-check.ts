/**
 * Checks recorded HTTP exchanges against the OpenAPI document: the concrete path is matched to its
 * templated operation (by the gateway's rule: first route of the table whose method and pattern
 * match), then the status must be declared, the declared required headers present and valid, the
 * media type declared, and a JSON body must match the declared schema (ajv, JSON Schema 2020-12).
 * Requests outside /v1 (the H5 build, /__local) are not API requests and are skipped; /v1 requests
 * that match no operation may only get the gateway's own answers (404, preflight 204, 400 BAD_PATH).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** One request and its answer, as test/support/api.ts records them. */
export interface Exchange {
  method: string;
  /** As sent: path and query, percent-encoding untouched. */
  path: string;
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** The body as text for textual media types; absent for binary bodies. */
  body?: string;
  bodyBytes: number;
  /** Which helper recorded it (api, fuzz, download, browser). */
  source?: string;
}

export interface Failure {
  operation: string;
  method: string;
  path: string;
  status: number;
  reason: string;
  /** The first schema errors, for shape failures. */
  errors?: string[];
}

export interface CheckSummary {
  checked: number;
  /** Requests outside the API (static files, /__local). */
  notApi: number;
  /** /v1 requests that matched no operation and got a gateway answer. */
  unrouted: number;
  /** operationId → responses checked. */
  operations: Map<string, number>;
  totalOperations: number;
  failures: Failure[];
  /** 5xx answers (declared, but each is worth a look). */
  serverErrors: { operation: string; status: number; code?: string }[];
}

type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components?: { headers?: Record<string, Header> };
};
type Operation = { operationId: string; responses: Record<string, Response> };
type Response = {
  description?: string;
  headers?: Record<string, Header | { $ref: string }>;
  content?: Record<string, { schema?: unknown }>;
};
type Header = { required?: boolean; schema?: unknown };

const DOC_ID = "urn:jiayi:openapi";
const METHODS = ["get", "put", "post", "delete", "patch", "options", "head"];

/** JSON Pointer of a document location, as a URI fragment ajv resolves. */
const pointer = (...segments: string[]) =>
  `#/${segments.map((s) => encodeURIComponent(s.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/")}`;

const essence = (contentType: string | undefined) => contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
const isJson = (mediaType: string) => mediaType === "application/json" || mediaType.endsWith("+json");

const describeErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).slice(0, 5).map((e) => {
    const extra =
      e.keyword === "enum"
        ? ` ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}`
        : e.keyword === "additionalProperties"
          ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
          : "";
    return `${e.instancePath || "(root)"} ${e.message}${extra}`;
  });

export function createResponseChecker(doc: unknown) {
  const document = doc as Doc;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // The document is registered whole so that `#/components/…` references resolve; its OpenAPI
  // top-level fields are annotations to ajv (only the schemas under them are ever compiled).
  ajv.addVocabulary(["openapi", "info", "servers", "paths", "components", "tags", "security", "webhooks"]);
  ajv.addSchema(document as object, DOC_ID);

  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (fragment: string) => {
    let validate = compiled.get(fragment);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOC_ID}${fragment}` });
      compiled.set(fragment, validate);
    }
    return validate;
  };

  const routes = Object.entries(document.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({
        template,
        method: method.toUpperCase(),
        operation,
        pattern: new RegExp(
          `^${template
            .split("/")
            .map((seg) => (/^\{\w+\}$/.test(seg) ? "[^/]+" : seg.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")))
            .join("/")}$`,
        ),
      })),
  );

  const resolveHeader = (header: Header | { $ref: string }): Header => {
    if ("$ref" in header) {
      const name = header.$ref.replace("#/components/headers/", "");
      return document.components?.headers?.[name] ?? {};
    }
    return header;
  };

  const errorCode = (exchange: Exchange) => {
    try {
      const code = (JSON.parse(exchange.body ?? "") as { error?: { code?: unknown } })?.error?.code;
      return typeof code === "string" ? code : undefined;
    } catch {
      return undefined;
    }
  };

  /** Whether the exchange is an API request at all, and if so which operation served it. */
  function classify(exchange: Exchange) {
    const pathname = new URL(exchange.path, "http://api.invalid").pathname;
    if (!pathname.startsWith("/v1/") && pathname !== "/v1") return { kind: "not-api" as const };
    const route = routes.find((r) => r.method === exchange.method.toUpperCase() && r.pattern.test(pathname));
    return route ? { kind: "operation" as const, route } : { kind: "unrouted" as const, pathname };
  }

  /** The failures of one exchange (empty when it matches the document). */
  function check(exchange: Exchange): {
    kind: ReturnType<typeof classify>["kind"];
    operation?: string;
    failures: Failure[];
  } {
    const where = classify(exchange);
    const base = { method: exchange.method, path: exchange.path.slice(0, 200), status: exchange.status };
    if (where.kind === "not-api") return { kind: where.kind, failures: [] };
    if (where.kind === "unrouted") {
      const code = errorCode(exchange);
      const gateway =
        (exchange.status === 404 && code === "NOT_FOUND") ||
        (exchange.status === 400 && code === "BAD_PATH") ||
        (exchange.status === 204 && exchange.method.toUpperCase() === "OPTIONS");
      return {
        kind: where.kind,
        failures: gateway
          ? []
          : [
              {
                ...base,
                operation: `(no operation: ${exchange.method} ${where.pathname.slice(0, 100)})`,
                reason: `a request matching no operation got ${exchange.status}${code ? ` ${code}` : ""}; only the gateway's 404 NOT_FOUND, 400 BAD_PATH or a preflight 204 are expected`,
              },
            ],
      };
    }
    const { route } = where;
    const operation = route.operation.operationId;
    const fail = (reason: string, errors?: string[]): Failure => ({ ...base, operation, reason, errors });
    const status = String(exchange.status);
    const response = route.operation.responses[status] ?? route.operation.responses.default;
    if (!response) {
      const code = errorCode(exchange);
      return {
        kind: where.kind,
        operation,
        failures: [
          fail(
            `status ${status}${code ? ` (${code})` : ""} is not declared; declared: ${Object.keys(route.operation.responses).join(", ")}`,
          ),
        ],
      };
    }
    const failures: Failure[] = [];
    const responseKey = route.operation.responses[status] ? status : "default";
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      const header = resolveHeader(declared);
      const value = exchange.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) failures.push(fail(`required header ${name} is missing`));
        continue;
      }
      if (header.schema) {
        const validate = ajv.compile(header.schema as object);
        if (!validate(value))
          failures.push(fail(`header ${name}: ${JSON.stringify(value)}`, describeErrors(validate.errors)));
      }
    }
    const content = response.content;
    const mediaType = essence(exchange.headers["content-type"]);
    if (!content) {
      if (exchange.bodyBytes > 0)
        failures.push(fail(`a body (${mediaType || "no content-type"}) where none is declared`));
      return { kind: where.kind, operation, failures };
    }
    if (exchange.bodyBytes === 0) {
      failures.push(fail(`an empty body where ${Object.keys(content).join(", ")} is declared`));
      return { kind: where.kind, operation, failures };
    }
    if (!content[mediaType]) {
      failures.push(
        fail(`media type "${mediaType}" is not declared; declared: ${Object.keys(content).join(", ")}`),
      );
      return { kind: where.kind, operation, failures };
    }
    if (isJson(mediaType) && content[mediaType]?.schema !== undefined) {
      let body: unknown;
      try {
        body = JSON.parse(exchange.body ?? "");
      } catch {
        failures.push(fail(`the ${mediaType} body is not JSON: ${(exchange.body ?? "").slice(0, 80)}`));
        return { kind: where.kind, operation, failures };
      }
      const validate = validatorAt(
        pointer(
          "paths",
          route.template,
          route.method.toLowerCase(),
          "responses",
          responseKey,
          "content",
          mediaType,
          "schema",
        ),
      );
      if (!validate(body)) {
        const code = errorCode(exchange);
        failures.push(
          fail(
            `the body does not match the schema${code ? ` (error.code ${code})` : ""}`,
            describeErrors(validate.errors),
          ),
        );
      }
    }
    return { kind: where.kind, operation, failures };
  }

  function checkAll(exchanges: Iterable<Exchange>): CheckSummary {
    const summary: CheckSummary = {
      checked: 0,
      notApi: 0,
      unrouted: 0,
      operations: new Map(),
      totalOperations: routes.length,
      failures: [],
      serverErrors: [],
    };
    for (const exchange of exchanges) {
      const result = check(exchange);
      if (result.kind === "not-api") {
        summary.notApi++;
        continue;
      }
      summary.checked++;
      if (result.kind === "unrouted") summary.unrouted++;
      if (result.operation)
        summary.operations.set(result.operation, (summary.operations.get(result.operation) ?? 0) + 1);
      if (exchange.status >= 500)
        summary.serverErrors.push({
          operation: result.operation ?? "(none)",
          status: exchange.status,
          code: errorCode(exchange),
        });
      summary.failures.push(...result.failures);
    }
    return summary;
  }

  /** Compiles every JSON response schema of the document (strict mode); the problems found. */
  function compileAll(): string[] {
    const problems: string[] = [];
    for (const route of routes) {
      for (const [status, response] of Object.entries(route.operation.responses)) {
        for (const [mediaType, media] of Object.entries(response.content ?? {})) {
          if (!isJson(mediaType) || media.schema === undefined) continue;
          const at = pointer(
            "paths",
            route.template,
            route.method.toLowerCase(),
            "responses",
            status,
            "content",
            mediaType,
            "schema",
          );
          try {
            validatorAt(at);
          } catch (error) {
            problems.push(
              `${route.operation.operationId} ${status} ${mediaType}: ${(error as Error).message}`,
            );
          }
        }
      }
    }
    return problems;
  }

  return { check, checkAll, compileAll, operationIds: routes.map((r) => r.operation.operationId) };
}

/** Every exchange recorded under a directory (one JSON line each; other lines are ignored). */
export function readExchanges(dir: string): Exchange[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .flatMap((file) =>
      readFileSync(join(dir, file), "utf8")
        .split("\n")
        .filter(Boolean)
        .flatMap((line) => {
          try {
            const record = JSON.parse(line) as Exchange;
            return typeof record.method === "string" && typeof record.status === "number" ? [record] : [];
          } catch {
            return [];
          }
        }),
    );
}

/** The closing lines: one summary line, then each distinct failure once with its count. */
export function formatSummary(summary: CheckSummary, operationIds: readonly string[] = []): string[] {
  const lines = [
    `response check: ${summary.checked} API responses checked against the OpenAPI document, ` +
      `${summary.operations.size}/${summary.totalOperations} operations covered, ${summary.failures.length} failures` +
      ` (${summary.unrouted} gateway answers to unknown paths, ${summary.notApi} non-API requests skipped, ` +
      `${summary.serverErrors.length} 5xx)`,
  ];
  const uncovered = operationIds.filter((id) => !summary.operations.has(id));
  if (uncovered.length) lines.push(`  operations without a recorded response: ${uncovered.join(", ")}`);
  if (summary.serverErrors.length) {
    const counts = new Map<string, number>();
    for (const e of summary.serverErrors) {
      const key = `${e.operation} ${e.status}${e.code ? ` ${e.code}` : ""}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    lines.push(`  5xx answers: ${[...counts].map(([k, n]) => `${k} ×${n}`).join("; ")}`);
  }
  const groups = new Map<string, { first: Failure; count: number }>();
  for (const failure of summary.failures) {
    const key = `${failure.operation}|${failure.status}|${failure.reason}|${(failure.errors ?? []).join(";")}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { first: failure, count: 1 });
  }
  for (const { first, count } of [...groups.values()].slice(0, 40)) {
    lines.push(
      `  ✗ ${first.operation} ${first.status}: ${first.reason} (×${count}, e.g. ${first.method} ${first.path})`,
    );
    for (const error of first.errors ?? []) lines.push(`      ${error}`);
  }
  if (groups.size > 40) lines.push(`  … and ${groups.size - 40} more kinds of failure`);
  return lines;
}
