import * as z from "zod/mini";
import { ErrorBody } from "../../shared/schemas/common.js";
import type { RouteDef } from "./route.js";

const toSchema = (schema: z.ZodMiniType, io: "input" | "output") =>
  z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });

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
  return out;
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

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
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [tag],
      security: route.auth === "public" ? [] : [{ bearer: [] }],
      parameters: parameters(route),
      responses: {
        [route.status]: route.response
          ? {
              description: "成功",
              content: { "application/json": { schema: toSchema(route.response, "output") } },
            }
          : { description: "成功" },
        400: errorResponse("请求不符合要求（details 指明字段）"),
        ...(route.auth === "public"
          ? {}
          : { 401: errorResponse("未登录或登录已过期"), 403: errorResponse("无权操作") }),
        ...(route.body
          ? { 413: errorResponse("请求体超过 64 KB"), 415: errorResponse("须为 application/json") }
          : {}),
        500: errorResponse("服务内部错误（附 requestId）"),
      },
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
      description: "家庭医生签约服务平台：签约、预约、通知、满意度与月报。",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: toSchema(ErrorBody, "output") },
    },
    paths,
  };
}
