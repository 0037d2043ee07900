import * as z from "zod/mini";
import { ErrorBody } from "../../shared/schemas/common.js";
import { IDEMPOTENCY_KEY_MAX_LENGTH } from "./idempotency.js";
import { operationFacts } from "./openapi-errors.generated.js";
import type { RouteDef } from "./route.js";

const toSchema = (schema: z.ZodMiniType, io: "input" | "output") =>
  z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });

/** Request headers a handler may read, as documented parameters (only those it actually reads). */
const HEADER_PARAMETERS: Record<string, Record<string, unknown>> = {
  "idempotency-key": {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description: "重试时携带同一个值，返回第一次请求的结果（可打印 ASCII，含空格，最长 255 个字符）",
    schema: {
      type: "string",
      minLength: 1,
      maxLength: IDEMPOTENCY_KEY_MAX_LENGTH,
      pattern: "^[\\x20-\\x7e]+$",
    },
  },
};

function parameters(route: RouteDef) {
  const out: Record<string, unknown>[] = [];
  for (const [location, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      out.push({
        name,
        in: location,
        required: location === "path" || (json.required ?? []).includes(name),
        schema: property,
      });
    }
  }
  for (const header of operationFacts[route.operationId]?.headers ?? []) {
    const parameter = HEADER_PARAMETERS[header];
    if (parameter) out.push(parameter);
  }
  return out;
}

const DESCRIPTIONS: Record<string, string> = {
  "400": "请求不符合要求（details 指明字段）",
  "401": "未登录或登录已过期",
  "403": "无权操作",
  "404": "资源不存在",
  "409": "与当前状态冲突（error.code 说明原因）",
  "413": "请求体超过 64 KB",
  "415": "请求体须为 application/json",
  "422": "内容无法处理",
  "429": "请求过于频繁，请稍后再试",
  "500": "服务内部错误（附 requestId）",
  "503": "服务暂时繁忙或依赖的服务不可用，可在 Retry-After 秒后重试同一请求",
};

/**
 * Statuses the API Gateway itself may answer on AWS, with its own `{"message": "…"}` body rather
 * than ours: throttling, payloads over its limit, integration failures and time-outs.
 */
const GATEWAY_STATUSES = new Set(["413", "429", "500", "503"]);

const EDGE_HEADERS = {
  "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" },
  "Cache-Control": { $ref: "#/components/headers/Cache-Control" },
  "X-Content-Type-Options": { $ref: "#/components/headers/X-Content-Type-Options" },
};

function errorResponse(status: string, codes: readonly string[]) {
  const sorted = [...new Set(codes)].sort();
  const schema = {
    allOf: [
      { $ref: "#/components/schemas/Error" },
      { type: "object", properties: { error: { type: "object", properties: { code: { enum: sorted } } } } },
    ],
  };
  return {
    description: `${DESCRIPTIONS[status] ?? "错误"}。error.code：${sorted.join("、")}`,
    headers: {
      ...EDGE_HEADERS,
      ...(status === "503"
        ? { "Retry-After": { $ref: "#/components/headers/Retry-After" } }
        : status === "429"
          ? { "Retry-After": { $ref: "#/components/headers/Retry-After-Optional" } }
          : {}),
    },
    content: {
      "application/json": {
        schema: GATEWAY_STATUSES.has(status)
          ? { anyOf: [schema, { $ref: "#/components/schemas/GatewayError" }] }
          : schema,
      },
    },
  };
}

/**
 * Every error status and code an operation can answer: the pipeline's own (functions/lib/http.ts
 * and the gateway in front of it) by the route's shape, plus what its handler's code throws
 * (derived from the sources into openapi-errors.generated.ts).
 */
export function errorCodesOf(route: RouteDef): Record<string, string[]> {
  const codes: Record<string, Set<string>> = {};
  const add = (status: number | string, ...values: string[]) => {
    codes[status] ??= new Set();
    for (const value of values) codes[status]?.add(value);
  };
  const hasPathParams = /\{\w+\}/.test(route.path);
  if (route.params || route.query || route.body) add(400, "VALIDATION_FAILED");
  if (route.body) add(400, "INVALID_JSON");
  if (hasPathParams) add(400, "BAD_PATH");
  if (route.auth !== "public") add(401, "UNAUTHENTICATED");
  if (Array.isArray(route.auth)) add(403, "FORBIDDEN");
  // A district account changes nothing: every authenticated write may answer 403 (lib/http.ts).
  else if (route.auth === "user" && route.method !== "GET") add(403, "FORBIDDEN");
  // Any request may carry a body; the limit applies before the route's own parsing.
  add(413, "PAYLOAD_TOO_LARGE");
  if (route.body) add(415, "UNSUPPORTED_MEDIA_TYPE");
  // The stage throttles every route; some routes have their own and per-account limits too.
  add(429, "TOO_MANY_REQUESTS");
  add(500, "INTERNAL");
  add(503, "SERVICE_UNAVAILABLE");
  for (const [status, values] of Object.entries(operationFacts[route.operationId]?.errors ?? {})) {
    add(status, ...values);
  }
  return Object.fromEntries(
    Object.entries(codes)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([status, values]) => [status, [...values].sort()]),
  );
}

function successResponse(route: RouteDef) {
  const media = operationFacts[route.operationId]?.media[String(route.status)] ?? [];
  const content: Record<string, unknown> = {};
  if (route.response) content["application/json"] = { schema: toSchema(route.response, "output") };
  for (const type of media) {
    content[type] = type.startsWith("text/")
      ? { schema: { type: "string" } }
      : { schema: { type: "string", contentMediaType: type } };
  }
  const formats = Object.keys(content);
  return {
    description: formats.length > 1 ? `成功（按请求的格式：${formats.join("、")}）` : "成功",
    headers: EDGE_HEADERS,
    ...(formats.length ? { content } : {}),
  };
}

/** The OpenAPI 3.1 document, generated from the route table's zod schemas (JSON Schema 2020-12). */
export function buildOpenApi(
  capabilities: Record<string, readonly RouteDef[]>,
  options: { includeLocalOnly: boolean },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  const tagged = Object.entries(capabilities).flatMap(([tag, routes]) =>
    routes.map((route) => ({ tag, route })),
  );
  for (const { tag, route } of tagged) {
    if (route.localOnly && !options.includeLocalOnly) continue;
    const responses: Record<string, unknown> = { [route.status]: successResponse(route) };
    for (const [status, codes] of Object.entries(errorCodesOf(route))) {
      responses[status] = errorResponse(status, codes);
    }
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [tag],
      security: route.auth === "public" ? [] : [{ bearer: [] }],
      parameters: parameters(route),
      responses,
    };
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: toSchema(route.body, "input") } },
      };
    }
    paths[route.path] ??= {};
    const pathItem = paths[route.path] as Record<string, unknown>;
    pathItem[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "家医 Jiayi API",
      version: "1.0.0",
      description:
        "家庭医生签约服务平台：签约、预约、通知、满意度与月报。" +
        "错误统一为 {error:{code,message,details?,requestId?}}，每个操作按状态码列出可能的 error.code；" +
        "503 表示可重试的暂时故障，请在 Retry-After 秒后重试同一请求。",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Error: toSchema(ErrorBody, "output"),
        GatewayError: {
          type: "object",
          description: "API Gateway 自身的应答（限流、超时等），不经过业务函数",
          properties: { message: { type: "string" } },
          required: ["message"],
          additionalProperties: false,
        },
      },
      headers: {
        "X-Request-Id": {
          description: "请求编号，排查问题时提供",
          required: true,
          schema: { type: "string" },
        },
        "Cache-Control": {
          description: "个人与健康数据不得被任何缓存保存",
          required: true,
          schema: { const: "no-store" },
        },
        "X-Content-Type-Options": { required: true, schema: { const: "nosniff" } },
        "Retry-After": {
          description: "建议重试前等待的秒数",
          required: true,
          schema: { type: "string", pattern: "^\\d+$" },
        },
        "Retry-After-Optional": {
          description: "建议重试前等待的秒数",
          schema: { type: "string", pattern: "^\\d+$" },
        },
      },
    },
    paths,
  };
}
