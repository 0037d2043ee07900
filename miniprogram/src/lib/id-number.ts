/**
 * Client-side checks of identity document numbers, so a typo is caught before the round trip. The
 * rules are the server's own (shared/id-number.ts, GB 11643 with its ISO 7064 MOD 11-2 check
 * digit; shared/schemas/identity.ts checkIdentity): every type but the passport carries an
 * 18-character citizen number.
 */
import type { IdType } from "@shared/enums";
import { ID_NUMBER_MESSAGES, validateIdNumber } from "@shared/id-number";

const PASSPORT = /^[A-Z0-9]{5,17}$/;

/** Today's date (YYYY-MM-DD) in China Standard Time (UTC+8 all year, no daylight saving). */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Chinese message for a bad document number of the given type, or null when it looks valid. */
export function idNumberError(idType: IdType, raw: string, today: string = todayInChina()): string | null {
  const value = raw.trim().toUpperCase();
  if (!value) return "请填写证件号码";
  if (idType === "passport") return PASSPORT.test(value) ? null : "护照号码应为 5–17 位字母或数字";
  const result = validateIdNumber(value, today);
  return result.ok ? null : ID_NUMBER_MESSAGES[result.problem];
}
