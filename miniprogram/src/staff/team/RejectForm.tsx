import { View } from "@tarojs/components";
import { useState } from "react";
import { FormField } from "../../components/FormField";
import { Button, Input } from "../../components/ui";

/** Reject with a reason (required, sent to the resident). */
export function RejectForm({
  idPrefix,
  busy,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  busy: boolean;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <View className="inline-form" id={`${idPrefix}-reject-form`}>
      <FormField id={`${idPrefix}-reject-reason`} label="拒签原因" required error={error}>
        <Input
          id={`${idPrefix}-reject-reason`}
          name="reason"
          placeholder="如：不在本团队服务范围，建议选择第二团队"
          value={reason}
          maxLength={200}
          onChange={(v) => {
            setReason(v);
            setError(null);
          }}
        />
      </FormField>
      <View className="actions actions--row">
        <Button
          type="danger"
          id={`${idPrefix}-reject-submit`}
          loading={busy}
          onClick={() => {
            if (!reason.trim()) {
              setError("请填写拒签原因");
              return;
            }
            onSubmit(reason.trim());
          }}
        >
          确认拒签
        </Button>
        <Button fill="none" id={`${idPrefix}-reject-cancel`} onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  );
}
