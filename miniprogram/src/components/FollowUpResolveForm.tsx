import { useState } from "react";
import { OUTCOME_LABELS, OUTCOMES } from "../lib/manager-surveys";
import type { FollowUpOutcome, ResolveFollowUpRequest } from "../services/types";
import { FormField } from "./FormField";
import { OptionChips } from "./OptionChips";
import { Button, TextArea } from "./ui";

interface Draft {
  outcome: FollowUpOutcome | null;
  issue: string;
  action: string;
  note: string;
}
const emptyDraft = (): Draft => ({ outcome: null, issue: "", action: "", note: "" });

/**
 * The outcome of a follow-up (reached, unreachable, resolved; the issue, the action, a note), as
 * the manager's 低分回访 and the assignee's 我的回访 record it; the page sends it and shows errors.
 */
export function FollowUpResolveForm({
  id,
  busy,
  onSubmit,
  onInvalid,
}: {
  id: string;
  busy: boolean;
  onSubmit: (body: ResolveFollowUpRequest) => void;
  onInvalid: (message: string) => void;
}) {
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const submit = () => {
    if (!draft.outcome) return onInvalid("请选择回访结果");
    onSubmit({
      outcome: draft.outcome,
      note: draft.note.trim(),
      ...(draft.issue.trim() ? { issue: draft.issue.trim() } : {}),
      ...(draft.action.trim() ? { action: draft.action.trim() } : {}),
    });
  };
  const text = (field: "issue" | "action" | "note", label: string) => (
    <FormField id={`${id}-${field}`} label={label}>
      <TextArea
        id={`${id}-${field}`}
        className="textarea-box"
        value={draft[field]}
        maxLength={500}
        onChange={(v: string) => setDraft((d) => ({ ...d, [field]: v }))}
      />
    </FormField>
  );
  return (
    <>
      <FormField id={`${id}-outcome`} label="回访结果" required>
        <OptionChips<FollowUpOutcome>
          idPrefix={`${id}-outcome`}
          options={OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
          value={draft.outcome}
          onChange={(outcome) => setDraft((d) => ({ ...d, outcome }))}
        />
      </FormField>
      {text("issue", "居民反映的问题")}
      {text("action", "处理措施")}
      {text("note", "备注")}
      <Button size="small" type="primary" id={`${id}-resolve-submit`} loading={busy} onClick={submit}>
        登记结果并结案
      </Button>
    </>
  );
}
