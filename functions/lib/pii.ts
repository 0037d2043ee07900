import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { keyFor } from "./secrets.js";

/**
 * Personal identifiers at rest: AES-256-GCM ciphertext for reading back, and a keyed hash (HMAC)
 * for equality look-ups, so the plain value never sits in the table or an index.
 */
const VERSION = "v1";

export async function encryptPii(plain: string): Promise<string> {
  const key = await keyFor("pii-encryption");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64"),
    cipher.getAuthTag().toString("base64"),
    data.toString("base64"),
  ].join(".");
}

export async function decryptPii(sealed: string): Promise<string> {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || data === undefined)
    throw new Error("Unknown PII ciphertext format");
  const decipher = createDecipheriv("aes-256-gcm", await keyFor("pii-encryption"), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}

/** Keyed hash for look-ups; `kind` keeps an ID number and a phone with equal digits apart. */
export async function lookupHash(kind: string, plain: string): Promise<string> {
  const key = await keyFor("pii-lookup");
  return createHmac("sha256", key).update(`${kind}:${plain}`).digest("base64url");
}
