import { env } from "../../lib/env.js";
import { httpHandler } from "../../lib/http.js";
import { buildOpenApi } from "../../lib/openapi.js";
import { capabilities } from "../../routes.js";

let document: ReturnType<typeof buildOpenApi> | undefined;

export const handler = httpHandler("getOpenApi", async () => {
  document ??= buildOpenApi(capabilities, { includeLocalOnly: env.isLocal });
  return document;
});
