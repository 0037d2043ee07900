import type { IdType } from "@shared/enums";
import { View } from "@tarojs/components";
import { useState } from "react";
import { FormField } from "../../components/FormField";
import { OptionChips } from "../../components/OptionChips";
import { Button, Input } from "../../components/ui";
import {
  DECLARABLE_GROUPS,
  type DeclarableGroup,
  GROUP_LABELS,
  ID_TYPE_LABELS,
  ID_TYPES,
} from "../../lib/labels";
import {
  type FieldErrors,
  hasErrors,
  idNumberError,
  type ProfileField,
  type ProfileFormValues,
  validateProfile,
} from "../../lib/validation";
import type { Centre } from "../../services/types";

const ID_TYPE_OPTIONS = ID_TYPES.map((value) => ({ value, label: ID_TYPE_LABELS[value] }));
const GROUP_OPTIONS = DECLARABLE_GROUPS.map((value) => ({ value, label: GROUP_LABELS[value] }));

export interface ProfileSubmission extends ProfileFormValues {
  groups: DeclarableGroup[];
}

export interface ProfileFormProps {
  centres: Centre[];
  initial?: Partial<ProfileSubmission>;
  /** Server-side errors keyed by field (400 details, 409 ID_ALREADY_REGISTERED). */
  serverErrors?: FieldErrors<ProfileField>;
  submitting?: boolean;
  onSubmit: (values: ProfileSubmission) => void;
}

/** The resident's own profile form, with inline Chinese validation before anything is sent. */
export function ProfileForm({ centres, initial, serverErrors, submitting, onSubmit }: ProfileFormProps) {
  const [values, setValues] = useState<ProfileSubmission>({
    name: initial?.name ?? "",
    idType: initial?.idType ?? "resident_id_card",
    idNumber: "",
    phone: "",
    neighbourhoodId: initial?.neighbourhoodId ?? "",
    address: initial?.address ?? "",
    groups: initial?.groups ?? [],
  });
  const [localErrors, setLocalErrors] = useState<FieldErrors<ProfileField>>({});
  const [dismissed, setDismissed] = useState<Partial<Record<ProfileField, boolean>>>({});

  // A server error shows until the user edits that field; local errors replace it on submit.
  const errorOf = (field: ProfileField): string | undefined =>
    localErrors[field] ?? (dismissed[field] ? undefined : serverErrors?.[field]);

  const set = <K extends keyof ProfileSubmission>(field: K, value: ProfileSubmission[K]) => {
    setValues((prev) => ({ ...prev, [field]: value }));
    if (field !== "groups") {
      const f = field as ProfileField;
      setLocalErrors((prev) => ({ ...prev, [f]: undefined }));
      setDismissed((prev) => ({ ...prev, [f]: true }));
    }
  };

  const submit = () => {
    const errors = validateProfile(values);
    setLocalErrors(errors);
    setDismissed({});
    if (hasErrors(errors)) return;
    onSubmit({
      ...values,
      name: values.name.trim(),
      idNumber: values.idNumber.trim().toUpperCase(),
      phone: values.phone.trim(),
      address: values.address.trim(),
    });
  };

  const toggleGroup = (group: DeclarableGroup) => {
    set(
      "groups",
      values.groups.includes(group) ? values.groups.filter((g) => g !== group) : [...values.groups, group],
    );
  };

  const hasNeighbourhoods = centres.some((c) => c.neighbourhoods.length > 0);

  return (
    <View className="form" id="profile-form">
      <FormField id="profile-name" label="姓名" required error={errorOf("name")}>
        <Input
          id="profile-name"
          name="name"
          placeholder="请输入证件上的姓名"
          value={values.name}
          maxLength={30}
          onChange={(v) => set("name", v)}
        />
      </FormField>

      <FormField id="profile-idType" label="证件类型" required error={errorOf("idType")}>
        <OptionChips<IdType>
          idPrefix="profile-idType"
          options={ID_TYPE_OPTIONS}
          value={values.idType}
          onChange={(v) => set("idType", v)}
        />
      </FormField>

      <FormField
        id="profile-idNumber"
        label="证件号码"
        required
        error={errorOf("idNumber")}
        hint="仅用于核验身份，加密保存，页面只显示部分号码"
      >
        <Input
          id="profile-idNumber"
          name="idNumber"
          placeholder={values.idType === "passport" ? "请输入护照号码" : "请输入18位证件号码"}
          value={values.idNumber}
          maxLength={20}
          onChange={(v) => set("idNumber", v)}
          onBlur={(v) => {
            if (!v.trim()) return;
            const problem = idNumberError(values.idType, v);
            if (problem) setLocalErrors((prev) => ({ ...prev, idNumber: problem }));
          }}
        />
      </FormField>

      <FormField id="profile-phone" label="手机号" required error={errorOf("phone")}>
        <Input
          id="profile-phone"
          name="phone"
          type="tel"
          placeholder="请输入11位手机号码"
          value={values.phone}
          maxLength={11}
          onChange={(v) => set("phone", v)}
        />
      </FormField>

      <FormField id="profile-neighbourhood" label="所属社区" required error={errorOf("neighbourhoodId")}>
        {hasNeighbourhoods ? (
          centres
            .filter((c) => c.neighbourhoods.length > 0)
            .map((centre) => (
              <View key={centre.centreId} className="centre-group">
                <View className="centre-group__name">{centre.name}</View>
                <OptionChips<string>
                  idPrefix="profile-neighbourhood"
                  options={centre.neighbourhoods.map((n) => ({ value: n.neighbourhoodId, label: n.name }))}
                  value={values.neighbourhoodId || null}
                  onChange={(v) => set("neighbourhoodId", v)}
                />
              </View>
            ))
        ) : (
          <View className="form-field__hint" id="profile-neighbourhood-empty">
            暂无可选择的社区，请联系所在社区卫生服务中心。
          </View>
        )}
      </FormField>

      <FormField id="profile-address" label="详细地址" required error={errorOf("address")}>
        <Input
          id="profile-address"
          name="address"
          placeholder="如：幸福里小区3号楼2单元501"
          value={values.address}
          maxLength={100}
          onChange={(v) => set("address", v)}
        />
      </FormField>

      <FormField
        id="profile-groups"
        label="重点人群（可多选）"
        hint="年龄相关人群（老年人、儿童）将根据出生日期自动识别"
      >
        <OptionChips<DeclarableGroup>
          idPrefix="profile-groups"
          options={GROUP_OPTIONS}
          value={values.groups}
          multiple
          onChange={toggleGroup}
        />
      </FormField>

      <View className="actions">
        <Button block type="primary" size="large" id="profile-submit" loading={submitting} onClick={submit}>
          保存
        </Button>
      </View>
    </View>
  );
}
