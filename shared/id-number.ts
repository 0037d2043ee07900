/**
 * Chinese citizen identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
 * sequence (odd = male), and an ISO 7064 MOD 11-2 check character. No well-kept npm package does
 * this, so it lives here, shared by the backend and the mini-program's inline validation.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";
/** First two digits: provinces, plus 81/82/83 used by Hong Kong, Macao and Taiwan residence permits. */
const REGIONS = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

export type IdNumberProblem = "format" | "region" | "birthDate" | "checkDigit";

export interface IdNumberFacts {
  birthDate: string;
  sex: "male" | "female";
}

export const ID_NUMBER_MESSAGES: Record<IdNumberProblem, string> = {
  format: "身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X",
  region: "身份证号的地区码无效",
  birthDate: "身份证号中的出生日期无效",
  checkDigit: "身份证号校验位不正确，请核对",
};

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? "";
}

/** Validates an 18-digit number; `today` (YYYY-MM-DD) bounds the birth date. */
export function validateIdNumber(
  value: string,
  today: string,
): { ok: true; facts: IdNumberFacts } | { ok: false; problem: IdNumberProblem } {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: "format" };
  if (!REGIONS.has(Number(id.slice(0, 2)))) return { ok: false, problem: "region" };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (!real || y < 1900 || birthDate > today) return { ok: false, problem: "birthDate" };
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return { ok: false, problem: "checkDigit" };
  return { ok: true, facts: { birthDate, sex: Number(id[16]) % 2 === 1 ? "male" : "female" } };
}

/** Normalised form for storage and look-up: trimmed, upper-case X. */
export const normaliseIdNumber = (value: string) => value.trim().toUpperCase();
