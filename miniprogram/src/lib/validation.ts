import type { IdType, Relation, Sex } from "@shared/enums";
import { idNumberError, todayInChina } from "./id-number";
import type { DeclarableGroup } from "./labels";

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

// Messages match the server's (shared/schemas/identity.ts), so a user sees one wording.
export function nameError(raw: string): string | null {
  const value = raw.trim();
  if (!value) return "请填写姓名";
  if (value.length > 30) return "姓名不能超过 30 个字";
  if (!/^[\p{L}·• .'-]+$/u.test(value)) return "姓名只能包含文字、间隔号和空格";
  return null;
}

export function phoneError(raw: string, required: boolean): string | null {
  const value = raw.trim();
  if (!value) return required ? "请填写手机号" : null;
  if (!/^1[3-9]\d{9}$/.test(value)) return "请输入 11 位中国大陆手机号";
  return null;
}

export function addressError(raw: string): string | null {
  const value = raw.trim();
  if (!value) return "请填写详细地址";
  if (value.length > 100) return "地址不能超过 100 个字";
  return null;
}

/** Passports carry no birth date or sex, so their holders give both. */
export function birthDateError(raw: string, today: string = todayInChina()): string | null {
  const value = raw.trim();
  if (!value) return "使用护照时请填写出生日期";
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return "出生日期格式为 年-月-日，如 1950-03-08";
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900) {
    return "出生日期无效";
  }
  if (value > today) return "出生日期不能晚于今天";
  return null;
}

export { idNumberError };

interface IdentityValues {
  name: string;
  idType: IdType;
  idNumber: string;
  /** Only for passports. */
  birthDate: string;
  sex: Sex | "";
}

function identityErrors(v: IdentityValues): FieldErrors<keyof IdentityValues> {
  const errors: FieldErrors<keyof IdentityValues> = {};
  const name = nameError(v.name);
  if (name) errors.name = name;
  const idNumber = idNumberError(v.idType, v.idNumber);
  if (idNumber) errors.idNumber = idNumber;
  if (v.idType === "passport") {
    const birthDate = birthDateError(v.birthDate);
    if (birthDate) errors.birthDate = birthDate;
    if (!v.sex) errors.sex = "使用护照时请选择性别";
  }
  return errors;
}

export interface ProfileFormValues extends IdentityValues {
  phone: string;
  neighbourhoodId: string;
  address: string;
  declaredGroups: DeclarableGroup[];
}
export type ProfileField = Exclude<keyof ProfileFormValues, "declaredGroups">;

export function validateProfile(v: ProfileFormValues): FieldErrors<ProfileField> {
  const errors: FieldErrors<ProfileField> = identityErrors(v);
  const phone = phoneError(v.phone, true);
  if (phone) errors.phone = phone;
  if (!v.neighbourhoodId) errors.neighbourhoodId = "请选择所属社区";
  const address = addressError(v.address);
  if (address) errors.address = address;
  return errors;
}

export interface FamilyFormValues extends IdentityValues {
  relation: Relation | "";
  phone: string;
  consent: boolean;
}
export type FamilyField = keyof FamilyFormValues;

export function validateFamilyMember(v: FamilyFormValues): FieldErrors<FamilyField> {
  const errors: FieldErrors<FamilyField> = identityErrors(v);
  if (!v.relation) errors.relation = "请选择与您的关系";
  const phone = phoneError(v.phone, false);
  if (phone) errors.phone = phone;
  if (!v.consent) errors.consent = "须确认已获得其本人或监护人同意";
  return errors;
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}
