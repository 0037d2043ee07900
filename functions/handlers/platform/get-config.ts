import { CURRENT_VERSIONS, DEFAULT_SETTINGS } from "../../../shared/settings.js";
import { assertCurrentVersions } from "../../domain/versions.js";
import { env } from "../../lib/env.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("getConfig", async ({ query }) => {
  assertCurrentVersions(query);
  return { ...CURRENT_VERSIONS, settings: DEFAULT_SETTINGS, stage: env.stage };
});
