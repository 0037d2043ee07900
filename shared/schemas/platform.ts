import * as z from "zod/mini";

export const ConfigQuery = z.object({
  agreementVersion: z.optional(z.string().check(z.maxLength(20))),
  privacyPolicyVersion: z.optional(z.string().check(z.maxLength(20))),
});
export const ConfigResponse = z.object({
  agreementVersion: z.string(),
  privacyPolicyVersion: z.string(),
  settings: z.record(z.string(), z.unknown()),
  stage: z.string(),
});
