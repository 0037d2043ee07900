/**
 * Pure rules of the manager's survey pages (创建问卷, 问卷结果, 低分回访): the draft of a manual
 * survey and its checks, the request it becomes, labels. Free of Taro so tests import them directly.
 */
import type { AudienceValue } from "../components/AudiencePicker";
import type {
  CreateSurveyRequest,
  Dimension,
  FollowUpOutcome,
  LowScore,
  NewQuestion,
} from "../services/types";
import { addDays } from "./appointments";
import { todayInChina } from "./id-number";
import { chinaInstant } from "./notices";
import { DIMENSION_LABELS, DIMENSIONS } from "./surveys";

export type QuestionType = NewQuestion["type"];

export const QUESTION_TYPE_LABELS = {
  rating: "评分（1–5 星）",
  choice: "单选",
  multiple_choice: "多选",
  text: "文字意见",
} as const satisfies Record<QuestionType, string>;
export const QUESTION_TYPES = Object.keys(QUESTION_TYPE_LABELS) as QuestionType[];

export const TRIGGER_LABELS: Record<string, string> = {
  after_appointment: "就诊后",
  after_lecture: "讲座后",
  annual: "年度评价",
  manual: "手动发放",
};

export const OUTCOME_LABELS = {
  reached: "已联系上",
  unreachable: "未能联系上",
  resolved: "问题已解决",
} as const satisfies Record<FollowUpOutcome, string>;
export const OUTCOMES = Object.keys(OUTCOME_LABELS) as FollowUpOutcome[];

/** A low score's ratings in one line, e.g. "候诊时间 1 星、总体满意度 2 星". */
export const lowRatingsText = (ratings: LowScore["lowRatings"]) =>
  ratings
    .map((r) => `${r.dimension ? DIMENSION_LABELS[r.dimension] : r.questionId} ${r.value} 星`)
    .join("、");

export interface QuestionDraft {
  /** Stable key and the questionId sent (q1, q2, … in order of creation). */
  key: string;
  type: QuestionType;
  text: string;
  dimension: Dimension | null;
  /** Choice options, one per line. */
  options: string;
  required: boolean;
}

export interface SurveyDraft {
  title: string;
  questions: QuestionDraft[];
  audience: AudienceValue;
  scheduled: boolean;
  publishDate: string;
  publishTime: string;
  closesDate: string;
}

export interface SurveyDraftErrors {
  title?: string;
  questions?: string;
  teamId?: string;
  groups?: string;
  publishTime?: string;
  closesDate?: string;
  /** By question key. */
  byQuestion: Record<string, string>;
}

/** The five dimensions as star ratings plus an optional comment: what most surveys ask. */
export function defaultQuestions(): QuestionDraft[] {
  return [
    ...DIMENSIONS.map((d, i) => ({
      key: `q${i + 1}`,
      type: "rating" as const,
      text: `您对${DIMENSION_LABELS[d]}的评价`,
      dimension: d,
      options: "",
      required: true,
    })),
    {
      key: `q${DIMENSIONS.length + 1}`,
      type: "text",
      text: "您的意见和建议",
      dimension: null,
      options: "",
      required: false,
    },
  ];
}

export function emptySurveyDraft(today = todayInChina()): SurveyDraft {
  return {
    title: "",
    questions: defaultQuestions(),
    audience: { scope: "team", teamId: null, groups: [] },
    scheduled: false,
    publishDate: today,
    publishTime: "",
    // Two weeks: the default validity of a survey invitation.
    closesDate: addDays(today, 14),
  };
}

/** The next free questionId (q<n>), so keys never repeat after deletions. */
export function nextQuestionKey(questions: readonly QuestionDraft[]): string {
  const max = questions.reduce((m, q) => Math.max(m, Number(q.key.slice(1)) || 0), 0);
  return `q${max + 1}`;
}

const optionsOf = (text: string) =>
  text
    .split(/\n/)
    .map((o) => o.trim())
    .filter(Boolean);

/** The closing instant: the end of the chosen day in China. */
export const closesAtOf = (date: string) => chinaInstant(date, "23:59");

/** The form's checks (the server checks again, with the same limits). */
export function checkSurveyDraft(draft: SurveyDraft, now: Date = new Date()): SurveyDraftErrors {
  const errors: SurveyDraftErrors = { byQuestion: {} };
  const title = draft.title.trim();
  if (!title) errors.title = "请填写问卷标题";
  else if (title.length > 100) errors.title = "标题不能超过 100 个字";
  if (draft.questions.length === 0) errors.questions = "请至少添加一道题目";
  else if (draft.questions.length > 30) errors.questions = "题目不能超过 30 道";
  for (const q of draft.questions) {
    const text = q.text.trim();
    const options = optionsOf(q.options);
    let message: string | undefined;
    if (!text) message = "请填写题目";
    else if (text.length > 200) message = "题目不能超过 200 个字";
    else if (q.type === "rating" && !q.dimension) message = "评分题须选择评价维度";
    else if ((q.type === "choice" || q.type === "multiple_choice") && options.length < 2)
      message = "选择题至少需要 2 个选项（每行一个）";
    else if (options.length > 20) message = "选项不能超过 20 个";
    else if (options.some((o) => o.length > 100)) message = "每个选项不能超过 100 个字";
    if (message) errors.byQuestion[q.key] = message;
  }
  if (draft.audience.scope === "team" && !draft.audience.teamId) errors.teamId = "请选择发放的团队";
  const publishAt = draft.scheduled ? chinaInstant(draft.publishDate, draft.publishTime) : null;
  if (draft.scheduled) {
    if (!publishAt) errors.publishTime = "请选择发放时间";
    else if (Date.parse(publishAt) <= now.getTime()) errors.publishTime = "定时发放的时间须晚于现在";
  }
  const closesAt = closesAtOf(draft.closesDate);
  if (!closesAt) errors.closesDate = "请选择截止日期";
  else if (Date.parse(closesAt) <= (publishAt ? Date.parse(publishAt) : now.getTime()))
    errors.closesDate = "截止日期须晚于发放时间";
  return errors;
}

export const hasErrors = (e: SurveyDraftErrors) =>
  Object.keys(e.byQuestion).length > 0 || Object.entries(e).some(([k, v]) => k !== "byQuestion" && !!v);

/** The createSurvey body of a checked draft. */
export function toCreateSurvey(draft: SurveyDraft): CreateSurveyRequest {
  const questions: NewQuestion[] = draft.questions.map((q) => ({
    questionId: q.key,
    type: q.type,
    text: q.text.trim(),
    required: q.required,
    ...(q.type === "rating" && q.dimension ? { dimension: q.dimension } : {}),
    ...(q.type === "choice" || q.type === "multiple_choice" ? { options: optionsOf(q.options) } : {}),
  }));
  const { scope, teamId, groups } = draft.audience;
  const publishAt = draft.scheduled ? chinaInstant(draft.publishDate, draft.publishTime) : null;
  const closesAt = closesAtOf(draft.closesDate);
  return {
    title: draft.title.trim(),
    trigger: "manual",
    questions,
    audience: {
      scope,
      ...(scope === "team" && teamId ? { teamId } : {}),
      ...(groups.length ? { groups } : {}),
    },
    ...(publishAt ? { publishAt } : {}),
    ...(closesAt ? { closesAt } : {}),
  };
}

/** A rating distribution ({"1": n, …}) as five bars, 1 to 5 stars. */
export function distributionBars(distribution: Record<string, number>) {
  return [1, 2, 3, 4, 5].map((star) => ({
    key: String(star),
    label: `${star} 星`,
    value: distribution[String(star)] ?? 0,
  }));
}

export const WITHHELD = "不足5份，不显示";
