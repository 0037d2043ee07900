/**
 * Client-side checks of identity document numbers, so a typo is caught before the round trip.
 * The server validates again; these rules mirror GB 11643-1999 (ISO 7064 MOD 11-2 check digit).
 */
import type { IdType } from "@shared/enums";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";

export type IdNumberProblem = "empty" | "format" | "birthDate" | "checkDigit";

/** The check character (0–9 or X) for the first 17 digits of a citizen ID number. */
export function checkDigitOf(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? "";
}

function validBirthDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return date.getTime() <= Date.now();
}

/** Problem with an 18-character citizen ID number, or null when it is well formed. */
export function citizenIdProblem(raw: string): IdNumberProblem | null {
  const value = raw.trim().toUpperCase();
  if (!value) return "empty";
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return "format";
  if (!validBirthDate(value.slice(6, 14))) return "birthDate";
  if (checkDigitOf(value.slice(0, 17)) !== value[17]) return "checkDigit";
  return null;
}

/** Document types whose number is an 18-character GB 11643 number with a check digit. */
const GB11643_TYPES: readonly IdType[] = ["resident_id_card", "household_register", "hk_macao_taiwan_permit"];

/** Chinese message for a bad document number of the given type, or null when it looks valid. */
export function idNumberError(idType: IdType, raw: string): string | null {
  const value = raw.trim();
  if (GB11643_TYPES.includes(idType)) {
    switch (citizenIdProblem(value)) {
      case null:
        return null;
      case "empty":
        return "请输入证件号码";
      case "format":
        return "证件号码应为18位，前17位为数字，最后一位为数字或X";
      case "birthDate":
        return "证件号码中的出生日期不正确";
      case "checkDigit":
        return "证件号码校验位不正确，请核对后重新输入";
    }
  }
  if (!value) return "请输入证件号码";
  if (!/^[A-Za-z0-9]{5,20}$/.test(value)) return "证件号码应为5–20位字母或数字";
  return null;
}
