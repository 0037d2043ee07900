import { createHash } from "node:crypto";
import type { ServiceType } from "../../shared/enums.js";
import {
  DIMENSIONS,
  type Dimension,
  LOW_SCORE_MAX,
  MAX_COMMENT_CHARS,
  MIN_RESPONSES_FOR_AVERAGE,
  type Survey,
  type SurveyTrigger,
} from "../../shared/schemas/surveys.js";

/** Satisfaction rules: pure, no I/O. */
export type SurveyRecord = Survey;
export type SurveyQuestion = Survey["questions"][number];

/** The post-visit survey every centre has from the first start, until a manager replaces it. */
export const DEFAULT_SURVEY_ID = "s_default_visit";
export const DEFAULT_SURVEY: SurveyRecord = {
  surveyId: DEFAULT_SURVEY_ID,
  centreId: null,
  title: "就诊满意度调查",
  trigger: "after_appointment",
  isDefault: true,
  createdAt: "2026-01-01T00:00:00.000Z",
  questions: [
    {
      questionId: "professional",
      type: "rating",
      dimension: "professional",
      text: "医生的专业能力",
      required: true,
    },
    { questionId: "attitude", type: "rating", dimension: "attitude", text: "服务态度", required: true },
    { questionId: "waiting", type: "rating", dimension: "waiting", text: "等候时间", required: true },
    { questionId: "environment", type: "rating", dimension: "environment", text: "就诊环境", required: true },
    { questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度", required: true },
    { questionId: "comment", type: "text", text: "意见或建议（选填）", required: false },
  ],
};

/** Lectures get the same kind of default, keyed separately so a manager can replace each. */
export const DEFAULT_LECTURE_SURVEY: SurveyRecord = {
  ...DEFAULT_SURVEY,
  surveyId: "s_default_lecture",
  title: "健康讲座满意度调查",
  trigger: "after_lecture",
  questions: [
    {
      questionId: "professional",
      type: "rating",
      dimension: "professional",
      text: "讲座内容的专业性",
      required: true,
    },
    {
      questionId: "environment",
      type: "rating",
      dimension: "environment",
      text: "场地与组织",
      required: true,
    },
    { questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度", required: true },
    { questionId: "comment", type: "text", text: "意见或建议（选填）", required: false },
  ],
};

/** The evaluation before renewal (服务流程: 评价 → 总结), sent a set number of days before the contract ends. */
export const DEFAULT_ANNUAL_SURVEY: SurveyRecord = {
  ...DEFAULT_SURVEY,
  surveyId: "s_default_annual",
  title: "家庭医生签约服务年度评价",
  trigger: "annual",
  questions: [
    {
      questionId: "professional",
      type: "rating",
      dimension: "professional",
      text: "家庭医生团队的专业能力",
      required: true,
    },
    { questionId: "attitude", type: "rating", dimension: "attitude", text: "服务态度", required: true },
    { questionId: "waiting", type: "rating", dimension: "waiting", text: "预约与响应速度", required: true },
    {
      questionId: "overall",
      type: "rating",
      dimension: "overall",
      text: "对本年度签约服务的总体满意度",
      required: true,
    },
    { questionId: "comment", type: "text", text: "意见或建议（选填）", required: false },
  ],
};

export const DEFAULT_SURVEYS: Partial<Record<SurveyTrigger, SurveyRecord>> = {
  after_appointment: DEFAULT_SURVEY,
  after_lecture: DEFAULT_LECTURE_SURVEY,
  annual: DEFAULT_ANNUAL_SURVEY,
};

/** What an invitation is about: the occasion that triggered it. */
export interface InvitationAbout {
  appointmentId?: string;
  noticeId?: string;
  teamId: string | null;
  staffId?: string;
  serviceType?: ServiceType;
  teamName?: string;
  contractId?: string;
}

export interface InvitationRecord {
  invitationId: string;
  surveyId: string;
  centreId: string;
  residentId: string;
  occasion: string;
  about: InvitationAbout;
  status: "pending" | "answered";
  createdAt: string;
  expiresAtIso: string;
  answeredAt?: string;
}

/** One invitation per (survey, resident, occasion): the id is derived from the three. */
export const invitationIdFor = (surveyId: string, residentId: string, occasion: string) =>
  `inv_${createHash("sha256").update(`${surveyId}\n${residentId}\n${occasion}`).digest("base64url").slice(0, 26)}`;

/** Valid for the setting's days, and never past the survey's closing time. */
export const invitationExpiry = (createdAt: string, days: number, closesAt?: string) => {
  const byDays = new Date(Date.parse(createdAt) + days * 86_400_000).toISOString();
  return closesAt && closesAt < byDays ? new Date(closesAt).toISOString() : byDays;
};

export const isExpired = (invitation: Pick<InvitationRecord, "expiresAtIso">, now: Date) =>
  invitation.expiresAtIso <= now.toISOString();

/** The Asia/Shanghai month (YYYY-MM) an instant falls in. */
export const monthOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 7);

/** Months from one date's month to another's, inclusive (both YYYY-MM-DD), at most `max`. */
export function monthsBetween(from: string, to: string, max = 36): string[] {
  const months: string[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7) && months.length < max; ) {
    months.push(month);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    month = `${y}-${String(m).padStart(2, "0")}`;
  }
  return months;
}

export type AnswerValue = number | string | string[];
export interface Answer {
  questionId: string;
  value: AnswerValue;
}

export interface AnswerIssue {
  path: string;
  message: string;
}

/**
 * Checks answers against the questionnaire. Each issue names the answer's position and the
 * question, so the resident's form can point at the one at fault.
 */
export function validateAnswers(survey: Pick<SurveyRecord, "questions">, answers: Answer[]): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const byId = new Map(survey.questions.map((q) => [q.questionId, q]));
  const seen = new Set<string>();
  answers.forEach((answer, i) => {
    const path = `answers.${i}.value`;
    const q = byId.get(answer.questionId);
    if (!q) {
      issues.push({ path: `answers.${i}.questionId`, message: `问题 ${answer.questionId} 不在本问卷中` });
      return;
    }
    if (seen.has(q.questionId)) {
      issues.push({ path: `answers.${i}.questionId`, message: `问题 ${q.questionId} 重复作答` });
      return;
    }
    seen.add(q.questionId);
    const v = answer.value;
    switch (q.type) {
      case "rating":
        if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 5)
          issues.push({ path, message: `问题 ${q.questionId} 的评分须为 1–5 的整数` });
        break;
      case "choice":
        if (typeof v !== "string" || !q.options?.includes(v))
          issues.push({ path, message: `问题 ${q.questionId} 须从给定选项中选择一项` });
        break;
      case "multiple_choice":
        if (
          !Array.isArray(v) ||
          v.length === 0 ||
          new Set(v).size !== v.length ||
          v.some((o) => !q.options?.includes(o))
        )
          issues.push({ path, message: `问题 ${q.questionId} 须从给定选项中选择（不重复）` });
        break;
      case "text":
        if (typeof v !== "string") issues.push({ path, message: `问题 ${q.questionId} 须填写文字` });
        else if ([...v].length > MAX_COMMENT_CHARS)
          issues.push({ path, message: `问题 ${q.questionId} 不能超过 ${MAX_COMMENT_CHARS} 字` });
        break;
    }
  });
  for (const q of survey.questions) {
    const answered = answers.find((a) => a.questionId === q.questionId);
    const empty = answered && typeof answered.value === "string" && answered.value.trim() === "";
    if (q.required && (!answered || empty))
      issues.push({ path: "answers", message: `问题 ${q.questionId} 为必答题` });
  }
  return issues;
}

/** Normalises stored answers: text trimmed, empty optional text dropped. */
export const normaliseAnswers = (answers: Answer[]): Answer[] =>
  answers
    .map((a) => (typeof a.value === "string" ? { ...a, value: a.value.trim() } : a))
    .filter((a) => !(typeof a.value === "string" && a.value === ""));

/** The ratings of a response, by dimension (a dimension asked twice counts twice). */
export function ratingsOf(survey: Pick<SurveyRecord, "questions">, answers: Answer[]) {
  const out: { questionId: string; dimension: Dimension; value: number }[] = [];
  for (const a of answers) {
    const q = survey.questions.find((x) => x.questionId === a.questionId);
    if (q?.type === "rating" && q.dimension && typeof a.value === "number")
      out.push({ questionId: q.questionId, dimension: q.dimension, value: a.value });
  }
  return out;
}

export const commentsOf = (survey: Pick<SurveyRecord, "questions">, answers: Answer[]) =>
  answers.flatMap((a) => {
    const q = survey.questions.find((x) => x.questionId === a.questionId);
    return q?.type === "text" && typeof a.value === "string" && a.value ? [a.value] : [];
  });

export const isLowScore = (ratings: { value: number }[]) => ratings.some((r) => r.value <= LOW_SCORE_MAX);

/**
 * The aggregate groups a response counts in. Each aggregate item holds `responses` and, per
 * dimension, `sum_<d>` and `cnt_<d>`.
 */
export function aggregateGroups(
  about: Pick<InvitationAbout, "teamId" | "staffId" | "serviceType">,
): string[] {
  const groups = ["ALL"];
  if (about.teamId) groups.push(`TEAM#${about.teamId}`);
  if (about.staffId) groups.push(`STAFF#${about.staffId}`);
  if (about.serviceType) groups.push(`SVC#${about.serviceType}`);
  return groups;
}

export interface AggregateFigures {
  responses: number;
  sums: Partial<Record<Dimension, number>>;
  counts: Partial<Record<Dimension, number>>;
}

export const emptyFigures = (): AggregateFigures => ({ responses: 0, sums: {}, counts: {} });

/** What one response adds to each of its groups. */
export function contribution(ratings: { dimension: Dimension; value: number }[]): AggregateFigures {
  const f = emptyFigures();
  f.responses = 1;
  for (const r of ratings) {
    f.sums[r.dimension] = (f.sums[r.dimension] ?? 0) + r.value;
    f.counts[r.dimension] = (f.counts[r.dimension] ?? 0) + 1;
  }
  return f;
}

export function addFigures(into: AggregateFigures, more: AggregateFigures): AggregateFigures {
  into.responses += more.responses;
  for (const d of DIMENSIONS) {
    if (more.counts[d]) {
      into.sums[d] = (into.sums[d] ?? 0) + (more.sums[d] ?? 0);
      into.counts[d] = (into.counts[d] ?? 0) + (more.counts[d] ?? 0);
    }
  }
  return into;
}

/** Aggregate items as stored ↔ figures. */
export function figuresFromItem(item: Record<string, unknown>): AggregateFigures {
  const f = emptyFigures();
  f.responses = Number(item.responses ?? 0);
  for (const d of DIMENSIONS) {
    const cnt = Number(item[`cnt_${d}`] ?? 0);
    if (cnt > 0) {
      f.counts[d] = cnt;
      f.sums[d] = Number(item[`sum_${d}`] ?? 0);
    }
  }
  return f;
}

export function itemFromFigures(f: AggregateFigures): Record<string, number> {
  const item: Record<string, number> = { responses: f.responses };
  for (const d of DIMENSIONS) {
    if (f.counts[d]) {
      item[`sum_${d}`] = f.sums[d] ?? 0;
      item[`cnt_${d}`] = f.counts[d] ?? 0;
    }
  }
  return item;
}

/** Recomputes every group's figures of a set of raw responses (the rebuild, and its check). */
export function recompute(
  responses: {
    about: Pick<InvitationAbout, "teamId" | "staffId" | "serviceType">;
    ratings: { dimension: Dimension; value: number }[];
  }[],
): Map<string, AggregateFigures> {
  const out = new Map<string, AggregateFigures>();
  for (const r of responses) {
    const c = contribution(r.ratings);
    for (const g of aggregateGroups(r.about)) {
      const figures = out.get(g) ?? emptyFigures();
      out.set(g, addFigures(figures, c));
    }
  }
  return out;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Averages with the 5-response floor: under it, no average at all (neither overall nor per dimension). */
export function scoreView(f: AggregateFigures) {
  const shown = f.responses >= MIN_RESPONSES_FOR_AVERAGE;
  const dimensions: Partial<Record<Dimension, { responses: number; average: number | null }>> = {};
  let sum = 0;
  let count = 0;
  for (const d of DIMENSIONS) {
    const cnt = f.counts[d] ?? 0;
    if (!cnt) continue;
    sum += f.sums[d] ?? 0;
    count += cnt;
    dimensions[d] = {
      responses: cnt,
      average: shown && cnt >= MIN_RESPONSES_FOR_AVERAGE ? round2((f.sums[d] ?? 0) / cnt) : null,
    };
  }
  return {
    responses: f.responses,
    average: shown && count > 0 ? round2(sum / count) : null,
    dimensions,
  };
}
