import type { SubscribeTemplates } from "../../../shared/schemas/platform.js";
import { CURRENT_VERSIONS, DEFAULT_SETTINGS } from "../../../shared/settings.js";
import { assertCurrentVersions } from "../../domain/versions.js";
import { env } from "../../lib/env.js";
import { httpHandler } from "../../lib/http.js";

const templateId = (name: string): string | null => process.env[name]?.trim() || null;

/** The deployment's WeChat subscribe-message templates by purpose (null where unset). */
export function subscribeTemplates(): SubscribeTemplates {
  return {
    visitReminder: templateId("WECHAT_TEMPLATE_APPOINTMENT"),
    notice: templateId("WECHAT_TEMPLATE_NOTICE"),
    contractResult: templateId("WECHAT_TEMPLATE_CONTRACT_RESULT"),
    survey: templateId("WECHAT_TEMPLATE_SURVEY"),
  };
}

export const handler = httpHandler("getConfig", async ({ query }) => {
  assertCurrentVersions(query);
  return {
    ...CURRENT_VERSIONS,
    settings: DEFAULT_SETTINGS,
    stage: env.stage,
    subscribeTemplates: subscribeTemplates(),
  };
});
