import { hkdfSync } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { cachedUnlessFailed } from "./retrying-cache.js";

/**
 * One root secret per deployment; every key the backend uses is derived from it with HKDF, so
 * there is one thing to rotate. It lives in Secrets Manager, encrypted with our KMS key, named by
 * APP_SECRET_ARN (locally the twin's Secrets Manager serves it, under the same grants).
 */
const rootSecret = cachedUnlessFailed(async () => {
  const arn = process.env.APP_SECRET_ARN;
  if (!arn) throw new Error("APP_SECRET_ARN is not set: the function does not declare uses: secrets");
  // The SDK retries throttling and network errors itself (3 attempts); a failure after that is
  // dropped by the cache, so the next request tries again.
  const client = new SecretsManagerClient({
    requestHandler: { requestTimeout: 3_000, throwOnRequestTimeout: true },
  });
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error("AppSecret has no value");
  return Buffer.from(out.SecretString, "utf8");
});

export type KeyPurpose = "jwt" | "pii-encryption" | "pii-lookup" | "check-in";

/** A 32-byte key for one purpose, kept for the life of the container once loaded. */
export const keyFor = (purpose: KeyPurpose): Promise<Buffer> => derived[purpose]();

const derive = (purpose: KeyPurpose) =>
  cachedUnlessFailed(async () => Buffer.from(hkdfSync("sha256", await rootSecret(), "jiayi", purpose, 32)));

const derived: Record<KeyPurpose, () => Promise<Buffer>> = {
  jwt: derive("jwt"),
  "pii-encryption": derive("pii-encryption"),
  "pii-lookup": derive("pii-lookup"),
  "check-in": derive("check-in"),
};
