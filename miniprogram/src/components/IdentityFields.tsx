import type { IdType, Sex } from "@shared/enums";
import { ID_TYPE_LABELS, ID_TYPES, SEX_LABELS } from "../lib/labels";
import { idNumberError } from "../lib/validation";
import { FormField } from "./FormField";
import { OptionChips } from "./OptionChips";
import { Input } from "./ui";

const ID_TYPE_OPTIONS = ID_TYPES.map((value) => ({ value, label: ID_TYPE_LABELS[value] }));
const SEX_OPTIONS = (["male", "female"] as const).map((value) => ({ value, label: SEX_LABELS[value] }));

export interface IdentityValues {
  name: string;
  idType: IdType;
  idNumber: string;
  birthDate: string;
  sex: Sex | "";
}
export type IdentityField = keyof IdentityValues;

export interface IdentityFieldsProps {
  /** Prefix of the stable ids: `<prefix>-name`, `<prefix>-idType-<type>`, `<prefix>-idNumber`, … */
  prefix: string;
  values: IdentityValues;
  errors: Partial<Record<IdentityField, string>>;
  /** Called with the one field that changed. */
  onChange: (patch: Partial<IdentityValues>) => void;
  /** Reports a problem found when the ID number field loses focus. */
  onError: (field: IdentityField, message: string) => void;
  namePlaceholder?: string;
}

/** Name and identity document, shared by the resident's profile and the family-member form. */
export function IdentityFields({
  prefix,
  values,
  errors,
  onChange,
  onError,
  namePlaceholder,
}: IdentityFieldsProps) {
  const passport = values.idType === "passport";
  return (
    <>
      <FormField id={`${prefix}-name`} label="姓名" required error={errors.name}>
        <Input
          id={`${prefix}-name`}
          name="name"
          placeholder={namePlaceholder ?? "请输入证件上的姓名"}
          value={values.name}
          maxLength={30}
          onChange={(v) => onChange({ name: v })}
        />
      </FormField>

      <FormField id={`${prefix}-idType`} label="证件类型" required error={errors.idType}>
        <OptionChips<IdType>
          idPrefix={`${prefix}-idType`}
          options={ID_TYPE_OPTIONS}
          value={values.idType}
          onChange={(v) => onChange({ idType: v })}
        />
      </FormField>

      <FormField
        id={`${prefix}-idNumber`}
        label="证件号码"
        required
        error={errors.idNumber}
        hint="仅用于核验身份，加密保存，页面只显示部分号码"
      >
        <Input
          id={`${prefix}-idNumber`}
          name="idNumber"
          placeholder={passport ? "请输入护照号码" : "请输入18位证件号码"}
          value={values.idNumber}
          maxLength={passport ? 17 : 18}
          onChange={(v) => onChange({ idNumber: v })}
          onBlur={(v) => {
            if (!v.trim()) return;
            const problem = idNumberError(values.idType, v);
            if (problem) onError("idNumber", problem);
          }}
        />
      </FormField>

      {passport ? (
        <>
          <FormField id={`${prefix}-birthDate`} label="出生日期" required error={errors.birthDate}>
            <Input
              id={`${prefix}-birthDate`}
              name="birthDate"
              placeholder="年-月-日，如 1950-03-08"
              value={values.birthDate}
              maxLength={10}
              onChange={(v) => onChange({ birthDate: v })}
            />
          </FormField>
          <FormField id={`${prefix}-sex`} label="性别" required error={errors.sex}>
            <OptionChips<Sex>
              idPrefix={`${prefix}-sex`}
              options={SEX_OPTIONS}
              value={values.sex || null}
              onChange={(v) => onChange({ sex: v })}
            />
          </FormField>
        </>
      ) : null}
    </>
  );
}

/** The identity part of a request body: birth date and sex only travel with a passport. */
export function identityBody(values: IdentityValues) {
  const base = {
    name: values.name.trim(),
    idType: values.idType,
    idNumber: values.idNumber.trim().toUpperCase(),
  };
  if (values.idType !== "passport" || !values.sex) return base;
  return { ...base, birthDate: values.birthDate.trim(), sex: values.sex };
}
