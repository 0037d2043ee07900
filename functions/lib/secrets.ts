import { hkdfSync } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/**
 * One root secret per deployment; every key the backend uses is derived from it with HKDF, so
 * there is one thing to rotate. In AWS it lives in Secrets Manager, encrypted with our KMS key
 * (APP_SECRET_ARN); locally and in tests it comes from APP_SECRET (base64, a git-ignored key file).
 */
let rootSecret: Promise<Buffer> | undefined;

async function loadRootSecret(): Promise<Buffer> {
  const local = process.env.APP_SECRET;
  if (local) return Buffer.from(local, "base64");
  const arn = process.env.APP_SECRET_ARN;
  if (!arn) throw new Error("Neither APP_SECRET nor APP_SECRET_ARN is set");
  const client = new SecretsManagerClient({ requestHandler: { requestTimeout: 3_000 } });
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error("AppSecret has no value");
  return Buffer.from(out.SecretString, "utf8");
}

export type KeyPurpose = "jwt" | "pii-encryption" | "pii-lookup";

const derived = new Map<KeyPurpose, Promise<Buffer>>();

/** A 32-byte key for one purpose, cached for the life of the process. */
export function keyFor(purpose: KeyPurpose): Promise<Buffer> {
  let key = derived.get(purpose);
  if (!key) {
    rootSecret ??= loadRootSecret();
    key = rootSecret.then((root) => Buffer.from(hkdfSync("sha256", root, "jiayi", purpose, 32)));
    derived.set(purpose, key);
  }
  return key;
}
