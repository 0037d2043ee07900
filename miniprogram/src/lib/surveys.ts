/**
 * Pure rules of the survey form and the manager's dashboard: labels, answer checks, chart values.
 * Kept free of Taro so component tests import them directly.
 */
import type { Dimension, SurveyAnswer, SurveyQuestion } from "../services/types";

export const DIMENSION_LABELS = {
  professional: "专业能力",
  attitude: "服务态度",
  waiting: "等候时间",
  environment: "就诊环境",
  overall: "总体满意度",
} as const satisfies Record<Dimension, string>;
export const DIMENSIONS = Object.keys(DIMENSION_LABELS) as Dimension[];

export const STAR_WORDS = ["", "很不满意", "不满意", "一般", "满意", "非常满意"] as const;

/** Free-text answers are capped at this many characters (shared MAX_COMMENT_CHARS). */
export const MAX_COMMENT_CHARS = 500;
/** Fewer responses than this and a group shows no average (shared MIN_RESPONSES_FOR_AVERAGE). */
export const MIN_RESPONSES = 5;
export const TOO_FEW = "样本不足（少于 5 份）";

/** The 2035 targets of the 2022 national guideline. */
export const COVERAGE_TARGETS = { overall: 0.75, priority: 0.85 } as const;

export type AnswerValue = number | string | string[];
export type Answers = Record<string, AnswerValue | undefined>;

function isEmpty(value: AnswerValue | undefined): boolean {
  if (value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  return !(value >= 1 && value <= 5);
}

/** Checks the answers before sending: required questions answered, ratings 1–5, comment length. */
export function checkAnswers(questions: readonly SurveyQuestion[], answers: Answers): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const q of questions) {
    const value = answers[q.questionId];
    if (q.required && isEmpty(value)) {
      errors[q.questionId] =
        q.type === "rating" ? "请为此项打分（1–5 星）" : q.type === "text" ? "请填写此项" : "请选择一项";
      continue;
    }
    if (q.type === "text" && typeof value === "string" && value.trim().length > MAX_COMMENT_CHARS)
      errors[q.questionId] = `不能超过 ${MAX_COMMENT_CHARS} 个字`;
  }
  return errors;
}

/** The answers as the API takes them: empty optional answers left out, text trimmed. */
export function toAnswers(questions: readonly SurveyQuestion[], answers: Answers): SurveyAnswer[] {
  const out: SurveyAnswer[] = [];
  for (const q of questions) {
    const value = answers[q.questionId];
    if (isEmpty(value) || value === undefined) continue;
    out.push({ questionId: q.questionId, value: typeof value === "string" ? value.trim() : value });
  }
  return out;
}

/** "4.3" — one decimal, or the floor message when the API withheld the average. */
export function averageText(average: number | null | undefined): string {
  return average === null || average === undefined ? TOO_FEW : average.toFixed(1);
}

/** "76.5%" of a 0–1 rate, "—" when unknown. */
export function percentText(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`;
}

/** "2026-05" → "5月"; other keys unchanged. */
export function monthLabel(key: string): string {
  const m = /^\d{4}-(\d{2})$/.exec(key);
  return m ? `${Number(m[1])}月` : key;
}
