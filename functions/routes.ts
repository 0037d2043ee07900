import { z } from "zod";
import type { RouteDef } from "./lib/route.js";

/**
 * The route table. Adding an endpoint = one row here + one handler module + tests; the CDK stack,
 * the local gateway and the OpenAPI document all read this list.
 */
export const routes = [
  {
    operationId: "health",
    method: "GET",
    path: "/v1/health",
    summary: "服务健康检查：数据库可达时 200",
    auth: "public",
    handler: "handlers/platform/health",
    status: 200,
    response: z.object({ status: z.literal("ok") }),
    data: "read",
  },
] as const satisfies readonly RouteDef[];

export type OperationId = (typeof routes)[number]["operationId"];

type AnyRoute = (typeof routes)[number];
export type RouteOf<I extends OperationId> = Extract<AnyRoute, { operationId: I }>;

export function routeById<I extends OperationId>(operationId: I): RouteOf<I> {
  const route = routes.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`No route ${operationId}`);
  return route as RouteOf<I>;
}
