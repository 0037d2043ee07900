import { View } from "@tarojs/components";
import { useState } from "react";
import { FormField } from "../../components/FormField";
import { IdentityFields } from "../../components/IdentityFields";
import { OptionChips } from "../../components/OptionChips";
import { Button, Input } from "../../components/ui";
import { DECLARABLE_GROUPS, type DeclarableGroup, GROUP_LABELS } from "../../lib/labels";
import {
  type FieldErrors,
  hasErrors,
  type ProfileField,
  type ProfileFormValues,
  validateProfile,
} from "../../lib/validation";
import type { Centre } from "../../services/types";

const GROUP_OPTIONS = DECLARABLE_GROUPS.map((value) => ({ value, label: GROUP_LABELS[value] }));

export interface ProfileFormProps {
  centres: Centre[];
  initial?: Partial<ProfileFormValues>;
  /** Server-side errors keyed by field (400 details, 409 ID_ALREADY_REGISTERED). */
  serverErrors?: FieldErrors<ProfileField>;
  submitting?: boolean;
  onSubmit: (values: ProfileFormValues) => void;
}

/** The resident's own profile form, with inline Chinese validation before anything is sent. */
export function ProfileForm({ centres, initial, serverErrors, submitting, onSubmit }: ProfileFormProps) {
  const [values, setValues] = useState<ProfileFormValues>({
    name: initial?.name ?? "",
    idType: initial?.idType ?? "resident_id_card",
    idNumber: "",
    birthDate: initial?.birthDate ?? "",
    sex: initial?.sex ?? "",
    phone: "",
    neighbourhoodId: initial?.neighbourhoodId ?? "",
    address: initial?.address ?? "",
    declaredGroups: initial?.declaredGroups ?? [],
  });
  const [localErrors, setLocalErrors] = useState<FieldErrors<ProfileField>>({});
  const [edited, setEdited] = useState<Partial<Record<ProfileField, boolean>>>({});

  // A server error shows until the user edits that field; a local error replaces it.
  const errors: FieldErrors<ProfileField> = {};
  for (const field of Object.keys({ ...serverErrors, ...localErrors }) as ProfileField[]) {
    const message = localErrors[field] ?? (edited[field] ? undefined : serverErrors?.[field]);
    if (message) errors[field] = message;
  }

  const patch = (changes: Partial<ProfileFormValues>) => {
    setValues((prev) => ({ ...prev, ...changes }));
    const fields = Object.keys(changes).filter((f): f is ProfileField => f !== "declaredGroups");
    if (fields.length === 0) return;
    setLocalErrors((prev) => ({ ...prev, ...Object.fromEntries(fields.map((f) => [f, undefined])) }));
    setEdited((prev) => ({ ...prev, ...Object.fromEntries(fields.map((f) => [f, true])) }));
  };

  const submit = () => {
    const found = validateProfile(values);
    setLocalErrors(found);
    setEdited({});
    if (hasErrors(found)) return;
    onSubmit(values);
  };

  const toggleGroup = (group: DeclarableGroup) => {
    patch({
      declaredGroups: values.declaredGroups.includes(group)
        ? values.declaredGroups.filter((g) => g !== group)
        : [...values.declaredGroups, group],
    });
  };

  const withNeighbourhoods = centres.filter((c) => c.neighbourhoods.length > 0);

  return (
    <View className="form" id="profile-form">
      <IdentityFields
        prefix="profile"
        values={values}
        errors={errors}
        onChange={patch}
        onError={(field, message) => setLocalErrors((prev) => ({ ...prev, [field]: message }))}
      />

      <FormField id="profile-phone" label="手机号" required error={errors.phone}>
        <Input
          id="profile-phone"
          name="phone"
          type="tel"
          placeholder="请输入11位手机号码"
          value={values.phone}
          maxLength={11}
          onChange={(v) => patch({ phone: v })}
        />
      </FormField>

      <FormField id="profile-neighbourhood" label="所属社区" required error={errors.neighbourhoodId}>
        {withNeighbourhoods.length > 0 ? (
          withNeighbourhoods.map((centre) => (
            <View key={centre.centreId} className="centre-group">
              <View className="centre-group__name">{centre.name}</View>
              <OptionChips<string>
                idPrefix="profile-neighbourhood"
                options={centre.neighbourhoods.map((n) => ({ value: n.neighbourhoodId, label: n.name }))}
                value={values.neighbourhoodId || null}
                onChange={(v) => patch({ neighbourhoodId: v })}
              />
            </View>
          ))
        ) : (
          <View className="form-field__hint" id="profile-neighbourhood-empty">
            暂无可选择的社区，请联系所在社区卫生服务中心。
          </View>
        )}
      </FormField>

      <FormField id="profile-address" label="详细地址" required error={errors.address}>
        <Input
          id="profile-address"
          name="address"
          placeholder="如：幸福里小区3号楼2单元501"
          value={values.address}
          maxLength={100}
          onChange={(v) => patch({ address: v })}
        />
      </FormField>

      <FormField
        id="profile-groups"
        label="重点人群（可多选）"
        hint="老年人、儿童等年龄相关人群将根据出生日期自动识别"
      >
        <OptionChips<DeclarableGroup>
          idPrefix="profile-groups"
          options={GROUP_OPTIONS}
          value={values.declaredGroups}
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
