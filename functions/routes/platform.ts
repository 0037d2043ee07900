import * as z from "zod/mini";
import { ConfigQuery, ConfigResponse } from "../../shared/schemas/platform.js";
import type { RouteDef } from "../lib/route.js";

/** Platform: health, configuration and the API document. */
export const platformRoutes = [
  {
    operationId: "health",
    method: "GET",
    path: "/v1/health",
    summary: "服务健康检查：数据库可达时 200，否则 503",
    auth: "public",
    status: 200,
    response: z.object({ status: z.literal("ok") }),
    data: "read",
  },
  {
    operationId: "getConfig",
    method: "GET",
    path: "/v1/config",
    summary: "协议与隐私政策版本、业务设置及订阅消息模板；携带旧版本号时 409 VERSION_OUTDATED",
    auth: "public",
    query: ConfigQuery,
    status: 200,
    response: ConfigResponse,
    data: "none",
    // The subscribe template ids by purpose (WECHAT_TEMPLATE_*), so the app asks for the server's own.
    uses: ["subscribe-templates"],
  },
  {
    operationId: "getOpenApi",
    method: "GET",
    path: "/v1/openapi.json",
    summary: "本 API 的 OpenAPI 3.1 文档",
    auth: "public",
    status: 200,
    response: z.record(z.string(), z.unknown()),
    data: "none",
  },
] as const satisfies readonly RouteDef[];
