import { capabilityHandler } from "../../lib/dispatch.js";
import { platformRoutes } from "../../routes/platform.js";

/** The deployed platform function: one entry for all its routes, each module loaded on its first call. */
export const handler = capabilityHandler(platformRoutes, {
  health: () => import("./health.js"),
  getConfig: () => import("./get-config.js"),
  getOpenApi: () => import("./openapi.js"),
});
