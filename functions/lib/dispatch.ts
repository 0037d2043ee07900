import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { RouteDef } from "./route.js";

type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The scheduled keep-warm ping (infra/stack.ts, every KEEP_WARM_MINUTES): an EventBridge event
 * whose detail-type names it. At one centre's traffic most requests would otherwise meet a cold
 * environment (bench/REPORT.md, cold-request simulation).
 */
export const WARM_DETAIL_TYPE = "jiayi.keep-warm";
export const isWarmPing = (event: unknown): boolean =>
  typeof event === "object" &&
  event !== null &&
  (event as { "detail-type"?: unknown })["detail-type"] === WARM_DETAIL_TYPE;

type Loaders<R extends readonly RouteDef[]> = {
  [K in R[number]["operationId"]]: () => Promise<{ handler: ApiHandler }>;
};

/**
 * One deployed function per capability: API Gateway names the matched route in `routeKey`
 * ("POST /v1/appointments"), so dispatch is a map look-up with no path parsing. Each route's module
 * is loaded on its first call (esbuild keeps it in the bundle but initialises it lazily), so a cold
 * start pays only for the route it serves. The loader map's type makes it list every route.
 */
export function capabilityHandler<R extends readonly RouteDef[]>(routes: R, loaders: Loaders<R>): ApiHandler {
  const byRouteKey = new Map<string, () => Promise<{ handler: ApiHandler }>>();
  for (const route of routes) {
    byRouteKey.set(`${route.method} ${route.path}`, loaders[route.operationId as keyof Loaders<R>]);
  }
  const handler = async (event: APIGatewayProxyEventV2, context: Context) => {
    const load = byRouteKey.get(event.routeKey);
    // API Gateway only invokes a function for the routes bound to it; anything else is a wiring bug.
    if (!load) throw new Error(`No route ${event.routeKey} in this function`);
    const { handler } = await load();
    return handler(event, context);
  };
  return async (event, context) => {
    // A ping keeps this environment and initialises every route's module, so the next request of
    // any route finds it ready; it touches no data.
    if (isWarmPing(event)) {
      await Promise.all([...byRouteKey.values()].map((load) => load()));
      return { statusCode: 204 };
    }
    return handler(event, context);
  };
}
