import { env } from "../../lib/env.js";
import { httpHandler } from "../../lib/http.js";
import { buildOpenApi } from "../../lib/openapi.js";
import { routes } from "../../routes.js";

let document: ReturnType<typeof buildOpenApi> | undefined;

export const handler = httpHandler("getOpenApi", async () => {
  document ??= buildOpenApi(routes, { includeLocalOnly: env.isLocal });
  return document;
});
