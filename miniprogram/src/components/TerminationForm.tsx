import { View } from "@tarojs/components";
import { useState } from "react";
import { TERMINATION_REASON_LABELS, TERMINATION_REASONS } from "../lib/labels";
import type { TerminationReason } from "../services/types";
import { FormField } from "./FormField";
import { OptionChips } from "./OptionChips";
import { Button, Input } from "./ui";

const REASON_OPTIONS = TERMINATION_REASONS.map((value) => ({
  value,
  label: TERMINATION_REASON_LABELS[value],
}));

/** Reason (the domain's fixed list) and an optional note for a termination request. */
export function TerminationForm({
  idPrefix,
  busy,
  onSubmit,
  onCancel,
  side = "resident",
}: {
  idPrefix: string;
  busy: boolean;
  onSubmit: (reason: TerminationReason, note: string) => void;
  onCancel: () => void;
  /** Who is asking: the resident's side or the team (only the wording differs). */
  side?: "resident" | "team";
}) {
  const [reason, setReason] = useState<TerminationReason | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <View className="inline-form" id={`${idPrefix}-terminate-form`}>
      <FormField id={`${idPrefix}-reason`} label="解约原因" required error={error}>
        <OptionChips<TerminationReason>
          idPrefix={`${idPrefix}-reason`}
          options={REASON_OPTIONS}
          value={reason}
          onChange={(v) => {
            setReason(v);
            setError(null);
          }}
        />
      </FormField>
      <FormField id={`${idPrefix}-note`} label="补充说明（选填）">
        <Input
          id={`${idPrefix}-note`}
          name="note"
          placeholder="如：已搬到外区居住"
          value={note}
          maxLength={200}
          onChange={setNote}
        />
      </FormField>
      <View className="form-field__hint">
        {side === "team" ? "解约须居民（或其代办人）确认后生效。" : "解约须签约团队确认后生效。"}
      </View>
      <View className="actions actions--row">
        <Button
          type="danger"
          id={`${idPrefix}-terminate-submit`}
          loading={busy}
          onClick={() => {
            if (!reason) {
              setError("请选择解约原因");
              return;
            }
            onSubmit(reason, note.trim());
          }}
        >
          提交解约申请
        </Button>
        <Button fill="none" id={`${idPrefix}-terminate-cancel`} onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  );
}
