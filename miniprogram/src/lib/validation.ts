import type { IdType } from "@shared/enums";
import { idNumberError } from "./id-number";

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export function nameError(raw: string): string | null {
  const value = raw.trim();
  if (!value) return "请输入姓名";
  if (value.length > 30) return "姓名不能超过30个字";
  return null;
}

export function phoneError(raw: string, required: boolean): string | null {
  const value = raw.trim();
  if (!value) return required ? "请输入手机号码" : null;
  if (!/^1[3-9]\d{9}$/.test(value)) return "请输入正确的11位手机号码";
  return null;
}

export function addressError(raw: string): string | null {
  const value = raw.trim();
  if (!value) return "请输入详细地址";
  if (value.length > 100) return "详细地址不能超过100个字";
  return null;
}

export { idNumberError };

export interface ProfileFormValues {
  name: string;
  idType: IdType;
  idNumber: string;
  phone: string;
  neighbourhoodId: string;
  address: string;
}
export type ProfileField = keyof ProfileFormValues;

export function validateProfile(v: ProfileFormValues): FieldErrors<ProfileField> {
  const errors: FieldErrors<ProfileField> = {};
  const name = nameError(v.name);
  if (name) errors.name = name;
  const idNumber = idNumberError(v.idType, v.idNumber);
  if (idNumber) errors.idNumber = idNumber;
  const phone = phoneError(v.phone, true);
  if (phone) errors.phone = phone;
  if (!v.neighbourhoodId) errors.neighbourhoodId = "请选择所属社区";
  const address = addressError(v.address);
  if (address) errors.address = address;
  return errors;
}

export interface FamilyFormValues {
  name: string;
  idType: IdType;
  idNumber: string;
  relation: string;
  phone: string;
  consent: boolean;
}
export type FamilyField = keyof FamilyFormValues;

export function validateFamilyMember(v: FamilyFormValues): FieldErrors<FamilyField> {
  const errors: FieldErrors<FamilyField> = {};
  const name = nameError(v.name);
  if (name) errors.name = name;
  const idNumber = idNumberError(v.idType, v.idNumber);
  if (idNumber) errors.idNumber = idNumber;
  if (!v.relation) errors.relation = "请选择与您的关系";
  const phone = phoneError(v.phone, false);
  if (phone) errors.phone = phone;
  if (!v.consent) errors.consent = "请先确认已获得其本人或监护人同意";
  return errors;
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}
