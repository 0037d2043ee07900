import type { Relation } from "@shared/enums";
import { View } from "@tarojs/components";
import { useState } from "react";
import { confirm } from "../lib/confirm";
import { ID_TYPE_LABELS, labelOf, RELATION_LABELS, RELATIONS, SEX_LABELS } from "../lib/labels";
import { errorMessage } from "../lib/use-async";
import { nameError, phoneError } from "../lib/validation";
import { removeFamilyMember, updateFamilyMember } from "../services/me";
import type { FamilyMember } from "../services/types";
import { FormField } from "./FormField";
import { OptionChips } from "./OptionChips";
import { Button, Input } from "./ui";

const RELATION_OPTIONS = RELATIONS.map((value) => ({ value, label: RELATION_LABELS[value] }));

export interface FamilyMemberCardProps {
  member: FamilyMember;
  onChanged: (member: FamilyMember) => void;
  onRemoved: (residentId: string) => void;
}

/**
 * A family member with 编辑 (name, relation, phone; a wrong ID number: remove and add again) and
 * 移除 (after a confirmation that says what removal means). Failures show in the card, once.
 */
export function FamilyMemberCard({ member, onChanged, onRemoved }: FamilyMemberCardProps) {
  const id = `family-member-${member.residentId}`;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(member.name);
  const [relation, setRelation] = useState<Relation>(member.relation);
  const [phone, setPhone] = useState("");
  const [errors, setErrors] = useState<{ name?: string; phone?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const local = { name: nameError(name) ?? undefined, phone: phoneError(phone, false) ?? undefined };
    setErrors(local);
    setError(null);
    if (local.name || local.phone || busy) return;
    setBusy(true);
    try {
      const saved = await updateFamilyMember(member.residentId, {
        name: name.trim(),
        relation,
        ...(phone.trim() ? { phone: phone.trim() } : {}),
      });
      onChanged(saved);
      setEditing(false);
      setPhone("");
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (busy) return;
    setError(null);
    const ok = await confirm({
      title: `移除${member.name}？`,
      content: "移除后将不能再为其签约和预约；如无其他家人代办，其登记的个人信息将被删除。",
      confirmText: "移除",
    });
    if (!ok) return;
    setBusy(true);
    try {
      await removeFamilyMember(member.residentId);
      onRemoved(member.residentId);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="member" id={id}>
      <View className="member__head">
        <View className="member__name" id={`${id}-name`}>
          {member.name}
        </View>
        <View className="member__relation" id={`${id}-relation`}>
          {labelOf(RELATION_LABELS, member.relation)}
        </View>
      </View>
      <View className="member__line">
        {labelOf(ID_TYPE_LABELS, member.idType)}：{member.idNumberMasked}
      </View>
      {member.phoneMasked ? <View className="member__line">手机号：{member.phoneMasked}</View> : null}
      <View className="member__line">
        年龄：{member.age} 岁{member.sex ? ` · ${labelOf(SEX_LABELS, member.sex)}` : ""}
      </View>

      {editing ? (
        <View className="form member__form" id={`${id}-form`}>
          <FormField id={`${id}-edit-name`} label="姓名" required error={errors.name}>
            <Input id={`${id}-edit-name`} value={name} maxLength={30} onChange={setName} />
          </FormField>
          <FormField id={`${id}-edit-relation`} label="与您的关系" required>
            <OptionChips<Relation>
              idPrefix={`${id}-edit-relation`}
              options={RELATION_OPTIONS}
              value={relation}
              onChange={setRelation}
            />
          </FormField>
          <FormField
            id={`${id}-edit-phone`}
            label="新手机号（选填）"
            hint="留空则保留原手机号"
            error={errors.phone}
          >
            <Input
              id={`${id}-edit-phone`}
              type="tel"
              value={phone}
              maxLength={11}
              placeholder="家人的11位手机号码"
              onChange={setPhone}
            />
          </FormField>
          <View className="form-field__hint">证件号码有误时，请移除后重新添加。</View>
        </View>
      ) : null}

      {error ? (
        <View className="notice notice--error" id={`${id}-error`}>
          {error}
        </View>
      ) : null}

      <View className="member__actions">
        {editing ? (
          <>
            <Button
              type="primary"
              id={`${id}-save`}
              loading={busy}
              disabled={busy}
              onClick={() => void save()}
            >
              保存
            </Button>
            <Button fill="outline" id={`${id}-cancel`} onClick={() => setEditing(false)}>
              取消
            </Button>
          </>
        ) : (
          <>
            <Button fill="outline" type="primary" id={`${id}-edit`} onClick={() => setEditing(true)}>
              编辑
            </Button>
            <Button
              fill="outline"
              type="danger"
              id={`${id}-remove`}
              disabled={busy}
              onClick={() => void remove()}
            >
              移除
            </Button>
          </>
        )}
      </View>
    </View>
  );
}
