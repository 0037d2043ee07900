import { z } from "zod";

export const ConfigQuery = z.object({
  agreementVersion: z.string().max(20).optional(),
  privacyPolicyVersion: z.string().max(20).optional(),
});
export const ConfigResponse = z.object({
  agreementVersion: z.string(),
  privacyPolicyVersion: z.string(),
  settings: z.record(z.string(), z.unknown()),
  stage: z.string(),
});
