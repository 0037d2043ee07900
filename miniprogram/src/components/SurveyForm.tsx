import { View } from "@tarojs/components";
import { useState } from "react";
import { type Answers, checkAnswers, MAX_COMMENT_CHARS, toAnswers } from "../lib/surveys";
import type { MySurvey, SurveyAnswer } from "../services/types";
import { FormField } from "./FormField";
import { OptionChips } from "./OptionChips";
import { StarRating } from "./StarRating";
import { Button, Checkbox, TextArea } from "./ui";

/** A rating at or below this offers the resident to be contacted (shared LOW_SCORE_MAX). */
const LOW_SCORE_MAX = 2;

export interface SurveyFormProps {
  survey: Pick<MySurvey, "invitationId" | "questions">;
  busy?: boolean;
  /** Errors from the server (400 details), by questionId. */
  serverErrors?: Record<string, string>;
  /** `contactConsent`: ticked under a low score (≤ 2), so the centre may call back (回访). */
  onSubmit: (answers: SurveyAnswer[], contactConsent?: boolean) => void;
}

/**
 * The questionnaire: star ratings (1–5), single and multiple choice as chips, free text. Required
 * questions are checked before sending, with the message next to the question.
 */
export function SurveyForm({ survey, busy, serverErrors, onSubmit }: SurveyFormProps) {
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [contactConsent, setContactConsent] = useState(false);
  const prefix = `survey-${survey.invitationId}`;
  const low = survey.questions.some((q) => {
    const v = answers[q.questionId];
    return q.type === "rating" && typeof v === "number" && v <= LOW_SCORE_MAX;
  });

  const set = (questionId: string, value: Answers[string]) => {
    setAnswers((a) => ({ ...a, [questionId]: value }));
    setErrors((e) => ({ ...e, [questionId]: "" }));
  };

  const submit = () => {
    const found = checkAnswers(survey.questions, answers);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const sheet = toAnswers(survey.questions, answers);
    if (low) onSubmit(sheet, contactConsent);
    else onSubmit(sheet);
  };

  const failed = Object.values(errors).filter(Boolean).length;
  return (
    <View className="survey-form" id={`${prefix}-form`}>
      {survey.questions.map((q, index) => {
        const qid = `${prefix}-q-${q.questionId}`;
        const error = errors[q.questionId] || serverErrors?.[q.questionId] || null;
        const value = answers[q.questionId];
        return (
          <FormField
            key={q.questionId}
            id={qid}
            label={`${index + 1}. ${q.text}${q.required || q.text.includes("选填") ? "" : "（选填）"}`}
            required={q.required}
            error={error}
          >
            {q.type === "rating" ? (
              <StarRating
                id={qid}
                label={q.text}
                value={typeof value === "number" ? value : undefined}
                onChange={(v) => set(q.questionId, v)}
              />
            ) : null}
            {q.type === "choice" ? (
              <OptionChips<string>
                idPrefix={`${qid}-option`}
                options={(q.options ?? []).map((o, i) => ({ value: String(i), label: o }))}
                value={typeof value === "string" ? String((q.options ?? []).indexOf(value)) : null}
                onChange={(i) => set(q.questionId, q.options?.[Number(i)] ?? "")}
              />
            ) : null}
            {q.type === "multiple_choice" ? (
              <OptionChips<string>
                idPrefix={`${qid}-option`}
                multiple
                options={(q.options ?? []).map((o, i) => ({ value: String(i), label: o }))}
                value={Array.isArray(value) ? value.map((v) => String((q.options ?? []).indexOf(v))) : []}
                onChange={(i) => {
                  const option = q.options?.[Number(i)] ?? "";
                  const chosen = Array.isArray(value) ? value : [];
                  set(
                    q.questionId,
                    chosen.includes(option) ? chosen.filter((v) => v !== option) : [...chosen, option],
                  );
                }}
              />
            ) : null}
            {q.type === "text" ? (
              <TextArea
                id={`${qid}-text`}
                className="survey-form__text"
                placeholder="说说您的感受或建议（选填）"
                value={typeof value === "string" ? value : ""}
                maxLength={MAX_COMMENT_CHARS}
                showCount
                onChange={(v: string) => set(q.questionId, v)}
              />
            ) : null}
          </FormField>
        );
      })}
      {low ? (
        <View className="survey-form__consent">
          <Checkbox
            id={`${prefix}-contact-consent`}
            checked={contactConsent}
            onChange={(on: boolean) => setContactConsent(on)}
            label="同意中心就本次评价与我联系回访（不勾选则匿名，只计入统计）"
          />
        </View>
      ) : null}
      {failed > 0 ? (
        <View className="notice notice--error" id={`${prefix}-errors`}>
          还有 {failed} 项未完成，请检查标红的题目。
        </View>
      ) : null}
      <View className="actions">
        <Button block type="primary" size="large" id={`${prefix}-submit`} loading={busy} onClick={submit}>
          提交评价
        </Button>
      </View>
    </View>
  );
}
