import { Logger } from "@aws-lambda-powertools/logger";

/**
 * Keys whose values are personal identifiers or secrets: always replaced, whatever their shape.
 * Values of other keys are scanned for ID-number and mobile-number shapes as a second net.
 */
const SECRET_KEYS = new Set([
  "idnumber",
  "phone",
  "session_key",
  "sessionkey",
  "authorization",
  "token",
  "openid",
  "address",
  "body",
]);
const ID_NUMBER = /\d{17}[\dXx]/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;

export function redact(key: string, value: unknown): unknown {
  if (key && SECRET_KEYS.has(key.toLowerCase()) && value !== null && typeof value !== "object") {
    return "[REDACTED]";
  }
  if (typeof value === "string") return value.replace(ID_NUMBER, "[ID]").replace(MOBILE, "[PHONE]");
  return value;
}

/** One logger per cold start; every line carries the request id and operation (see lib/http.ts). */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "jiayi",
  jsonReplacerFn: redact,
});
