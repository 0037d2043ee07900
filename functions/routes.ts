import { appointmentsRoutes } from "./routes/appointments.js";
import { contractsRoutes } from "./routes/contracts.js";
import { identityRoutes } from "./routes/identity.js";
import { noticesRoutes } from "./routes/notices.js";
import { platformRoutes } from "./routes/platform.js";
import { surveysRoutes } from "./routes/surveys.js";

/**
 * The route table, one file per capability under routes/. Adding an endpoint = one row there + one
 * handler module + its line in the capability's entry + tests; the CDK stack, the local gateway and the OpenAPI document all read this.
 */
export const routes = [
  ...platformRoutes,
  ...identityRoutes,
  ...contractsRoutes,
  ...appointmentsRoutes,
  ...noticesRoutes,
  ...surveysRoutes,
] as const;

/**
 * Packaging: one deployed function per capability, whose entry is `handlers/<capability>/index`
 * (it dispatches on the route key). The CDK stack and the local runtime both read this.
 */
export const capabilities = {
  platform: platformRoutes,
  identity: identityRoutes,
  contracts: contractsRoutes,
  appointments: appointmentsRoutes,
  notices: noticesRoutes,
  surveys: surveysRoutes,
} as const;

export type Capability = keyof typeof capabilities;

export type OperationId = (typeof routes)[number]["operationId"];

type AnyRoute = (typeof routes)[number];
export type RouteOf<I extends OperationId> = Extract<AnyRoute, { operationId: I }>;

export function routeById<I extends OperationId>(operationId: I): RouteOf<I> {
  const route = routes.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`No route ${operationId}`);
  return route as RouteOf<I>;
}
