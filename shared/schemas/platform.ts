import * as z from "zod/mini";

export const ConfigQuery = z.object({
  agreementVersion: z.optional(z.string().check(z.maxLength(20))),
  privacyPolicyVersion: z.optional(z.string().check(z.maxLength(20))),
});
/** WeChat subscribe-message template ids by purpose; null where the deployment has not set one. */
export const SubscribeTemplates = z.object({
  visitReminder: z.nullable(z.string()),
  notice: z.nullable(z.string()),
  contractResult: z.nullable(z.string()),
  survey: z.nullable(z.string()),
});
export type SubscribeTemplates = z.infer<typeof SubscribeTemplates>;
export const SUBSCRIBE_PURPOSES = ["visitReminder", "notice", "contractResult", "survey"] as const;
export type SubscribePurpose = (typeof SUBSCRIBE_PURPOSES)[number];

export const ConfigResponse = z.object({
  agreementVersion: z.string(),
  privacyPolicyVersion: z.string(),
  settings: z.record(z.string(), z.unknown()),
  stage: z.string(),
  subscribeTemplates: SubscribeTemplates,
});
