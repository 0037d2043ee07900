import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useRef, useState } from "react";
import { ENTITLEMENT_LABELS, labelOf } from "../lib/labels";
import { getContract, recordService } from "../services/contracts";
import type { Contract, EntitlementType } from "../services/types";
import { FormField } from "./FormField";
import { OptionChips } from "./OptionChips";
import { Button, Input } from "./ui";

function newKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Records one delivered service (履约) against the contract: type, place, notes; time = now. */
export function RecordServiceForm({
  contract,
  idPrefix,
  defaultType,
  onDone,
  onCancel,
}: {
  contract: Contract;
  idPrefix: string;
  /** The type chosen to start with (from a work-list item: the follow-up, assessment or visit owed). */
  defaultType?: EntitlementType;
  onDone: (updated: Contract) => void;
  onCancel: () => void;
}) {
  const [type, setType] = useState<EntitlementType | null>(
    defaultType && contract.entitlements.some((e) => e.type === defaultType) ? defaultType : null,
  );
  const [place, setPlace] = useState("");
  const [notes, setNotes] = useState("");
  const [errors, setErrors] = useState<{ type?: string; place?: string }>({});
  const [busy, setBusy] = useState(false);
  // One key per form: a retried submit after a lost answer records the service once.
  const key = useRef(newKey());

  const options = contract.entitlements.map((e) => ({
    value: e.type,
    label: `${e.name || labelOf(ENTITLEMENT_LABELS, e.type)}（${e.delivered}/${e.entitled}）`,
  }));

  const submit = async () => {
    const found: { type?: string; place?: string } = {};
    if (!type) found.type = "请选择服务类型";
    if (!place.trim()) found.place = "请填写服务地点";
    setErrors(found);
    if (!type || found.place) return;
    setBusy(true);
    try {
      await recordService(
        contract.contractId,
        {
          type,
          deliveredAt: new Date().toISOString(),
          place: place.trim(),
          ...(notes.trim() ? { notes: notes.trim() } : {}),
        },
        key.current,
      );
      void Taro.showToast({ title: "已记录服务", icon: "none" }).catch(() => undefined);
      onDone(await getContract(contract.contractId));
    } catch {
      // request() showed the server's message.
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="inline-form" id={`${idPrefix}-record-form`}>
      <FormField id={`${idPrefix}-record-type`} label="服务类型" required error={errors.type}>
        <OptionChips<EntitlementType>
          idPrefix={`${idPrefix}-record-type`}
          options={options}
          value={type}
          onChange={(v) => {
            setType(v);
            setErrors((e) => ({ ...e, type: undefined }));
          }}
        />
      </FormField>
      <FormField id={`${idPrefix}-record-place`} label="服务地点" required error={errors.place}>
        <Input
          id={`${idPrefix}-record-place`}
          name="place"
          placeholder="如：中心门诊、居民家中"
          value={place}
          maxLength={100}
          onChange={(v) => {
            setPlace(v);
            setErrors((e) => ({ ...e, place: undefined }));
          }}
        />
      </FormField>
      <FormField id={`${idPrefix}-record-notes`} label="服务记录（选填）">
        <Input
          id={`${idPrefix}-record-notes`}
          name="notes"
          placeholder="如：血压 135/85，嘱低盐饮食"
          value={notes}
          maxLength={500}
          onChange={setNotes}
        />
      </FormField>
      <View className="form-field__hint">服务时间记为当前时间。</View>
      <View className="actions actions--row">
        <Button type="primary" id={`${idPrefix}-record-submit`} loading={busy} onClick={() => void submit()}>
          保存服务记录
        </Button>
        <Button fill="none" id={`${idPrefix}-record-cancel`} onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  );
}
