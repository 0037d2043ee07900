import type { Relation } from "@shared/enums";
import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { FamilyMemberCard } from "../../components/FamilyMemberCard";
import { FormField } from "../../components/FormField";
import { IdentityFields, identityBody } from "../../components/IdentityFields";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button, Checkbox, Input } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { RELATION_LABELS, RELATIONS } from "../../lib/labels";
import { useAsync } from "../../lib/use-async";
import {
  type FamilyField,
  type FamilyFormValues,
  type FieldErrors,
  hasErrors,
  validateFamilyMember,
} from "../../lib/validation";
import { addFamilyMember, getMe } from "../../services/me";
import { ApiError, fieldErrorsFrom } from "../../services/request";
import { PAGES } from "../../services/routes";
import type { FamilyMember } from "../../services/types";

const RELATION_OPTIONS = RELATIONS.map((value) => ({ value, label: RELATION_LABELS[value] }));
const FIELDS: readonly FamilyField[] = [
  "name",
  "idType",
  "idNumber",
  "birthDate",
  "sex",
  "relation",
  "phone",
];

const EMPTY_FORM: FamilyFormValues = {
  name: "",
  idType: "resident_id_card",
  idNumber: "",
  birthDate: "",
  sex: "",
  relation: "",
  phone: "",
  consent: false,
};

export default function FamilyPage() {
  const loggedIn = useRequireLogin();
  const me = useAsync(getMe, loggedIn);
  const [added, setAdded] = useState<FamilyMember[]>([]);
  // Edits and removals made on this page, over what getMe answered.
  const [edited, setEdited] = useState<Record<string, FamilyMember>>({});
  const [removed, setRemoved] = useState<string[]>([]);
  const [adding, setAdding] = useState(false);
  const [values, setValues] = useState<FamilyFormValues>(EMPTY_FORM);
  const [errors, setErrors] = useState<FieldErrors<FamilyField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const members = [...(me.data?.family ?? []), ...added]
    .filter((m) => !removed.includes(m.residentId))
    .map((m) => edited[m.residentId] ?? m);
  const hasProfile = !!me.data?.profile;

  const patch = (changes: Partial<FamilyFormValues>) => {
    setValues((prev) => ({ ...prev, ...changes }));
    setErrors((prev) => ({
      ...prev,
      ...Object.fromEntries(Object.keys(changes).map((f) => [f, undefined])),
    }));
  };

  const submit = async () => {
    const local = validateFamilyMember(values);
    setErrors(local);
    setFormError(null);
    if (hasErrors(local)) return;
    setSubmitting(true);
    try {
      if (!values.relation) return;
      const member = await addFamilyMember({
        ...identityBody(values),
        relation: values.relation,
        ...(values.phone.trim() ? { phone: values.phone.trim() } : {}),
        consent: { confirmed: true },
      });
      setAdded((prev) => [...prev, member]);
      setValues(EMPTY_FORM);
      setAdding(false);
      void Taro.showToast({ title: "已添加", icon: "success" }).catch(() => undefined);
    } catch (err) {
      if (
        err instanceof ApiError &&
        (err.code === "ID_ALREADY_REGISTERED" || err.code === "ALREADY_FAMILY_MEMBER")
      ) {
        setErrors({ idNumber: err.message });
      } else if (err instanceof ApiError) {
        const mapped = fieldErrorsFrom(err, FIELDS);
        setErrors(mapped.fields);
        if (mapped.other.length || Object.keys(mapped.fields).length === 0) {
          setFormError(mapped.other.join("；") || err.message);
        }
      } else {
        setFormError("添加失败，请稍后再试");
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PageShell
      title="家庭成员"
      subtitle="为父母、子女等家人代办签约和预约"
      loading={!loggedIn || me.loading}
      error={me.error}
      onRetry={me.reload}
      id="family"
    >
      {!hasProfile ? (
        <EmptyState
          title="请先完善本人信息"
          description="添加家庭成员前，需要先完成您本人的实名信息。"
          action={
            <View className="state__actions">
              <Button type="primary" id="family-to-profile" onClick={() => navigate(PAGES.profile)}>
                去完善
              </Button>
            </View>
          }
        />
      ) : (
        <>
          <View className="card" id="family-list">
            {members.length === 0 ? (
              <EmptyState title="还没有添加家庭成员" description="添加后可为家人签约、预约服务。" />
            ) : (
              members.map((m) => (
                <FamilyMemberCard
                  key={m.residentId}
                  member={m}
                  onChanged={(next) => setEdited((prev) => ({ ...prev, [next.residentId]: next }))}
                  onRemoved={(residentId) => {
                    setRemoved((prev) => [...prev, residentId]);
                    void Taro.showToast({ title: "已移除", icon: "success" }).catch(() => undefined);
                  }}
                />
              ))
            )}
          </View>

          {adding ? (
            <View className="card form" id="family-form">
              <View className="section-title">添加家庭成员</View>
              <IdentityFields
                prefix="family"
                values={values}
                errors={errors}
                onChange={patch}
                onError={(field, message) => setErrors((prev) => ({ ...prev, [field]: message }))}
                namePlaceholder="请输入家人证件上的姓名"
              />
              <FormField id="family-relation" label="与您的关系" required error={errors.relation}>
                <OptionChips<Relation>
                  idPrefix="family-relation"
                  options={RELATION_OPTIONS}
                  value={values.relation || null}
                  onChange={(v) => patch({ relation: v })}
                />
              </FormField>
              <FormField id="family-phone" label="手机号（选填）" error={errors.phone}>
                <Input
                  id="family-phone"
                  name="phone"
                  type="tel"
                  placeholder="家人的11位手机号码"
                  value={values.phone}
                  maxLength={11}
                  onChange={(v) => patch({ phone: v })}
                />
              </FormField>
              <FormField id="family-consent" label="授权确认" required error={errors.consent}>
                <Checkbox
                  id="family-consent"
                  checked={values.consent}
                  onChange={(on) => patch({ consent: on })}
                  label="已获得其本人或监护人同意，由我代为办理家庭医生相关服务"
                />
              </FormField>
              {formError ? (
                <View className="notice notice--error" id="family-form-error">
                  {formError}
                </View>
              ) : null}
              <View className="actions">
                <Button
                  block
                  type="primary"
                  size="large"
                  id="family-submit"
                  loading={submitting}
                  onClick={() => void submit()}
                >
                  确认添加
                </Button>
                <Button
                  block
                  fill="none"
                  id="family-cancel"
                  onClick={() => {
                    setAdding(false);
                    setErrors({});
                    setFormError(null);
                  }}
                >
                  取消
                </Button>
              </View>
            </View>
          ) : (
            <View className="actions">
              <Button block type="primary" size="large" id="family-add" onClick={() => setAdding(true)}>
                添加家庭成员
              </Button>
            </View>
          )}
        </>
      )}
    </PageShell>
  );
}
