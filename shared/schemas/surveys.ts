import { z } from "zod";
import { ServiceType } from "../enums.js";
import { DateString, DateTimeString, EntityId, PageQuery } from "./common.js";

/** Satisfaction (满意度): questionnaires, invitations, responses and the manager's scores. */
export const DIMENSIONS = ["professional", "attitude", "waiting", "environment", "overall"] as const;
export const Dimension = z.enum(DIMENSIONS);
export type Dimension = z.infer<typeof Dimension>;
export const DIMENSION_NAMES: Record<Dimension, string> = {
  professional: "专业能力",
  attitude: "服务态度",
  waiting: "等候时间",
  environment: "就诊环境",
  overall: "总体满意度",
};

export const SURVEY_TRIGGERS = ["after_appointment", "after_lecture", "annual", "manual"] as const;
export const SurveyTrigger = z.enum(SURVEY_TRIGGERS);
export type SurveyTrigger = z.infer<typeof SurveyTrigger>;

export const QUESTION_TYPES = ["rating", "choice", "multiple_choice", "text"] as const;
export const QuestionType = z.enum(QUESTION_TYPES);

/** Free-text answers (comments) are stored as text and capped at this many characters. */
export const MAX_COMMENT_CHARS = 500;
/** A rating at or below this is listed for the manager to follow up. */
export const LOW_SCORE_MAX = 2;
/** Fewer responses than this and a group shows no average, so no single resident is exposed. */
export const MIN_RESPONSES_FOR_AVERAGE = 5;

const QuestionId = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, "题目编号只能包含字母、数字、下划线和连字符");

export const Question = z
  .object({
    questionId: QuestionId,
    type: QuestionType,
    dimension: Dimension.optional(),
    text: z.string().trim().min(1).max(200),
    options: z.array(z.string().trim().min(1).max(100)).min(2).max(20).optional(),
    required: z.boolean().default(true),
  })
  .superRefine((q, ctx) => {
    if (q.type === "rating" && !q.dimension)
      ctx.addIssue({ code: "custom", path: ["dimension"], message: "评分题须指定评价维度" });
    if ((q.type === "choice" || q.type === "multiple_choice") && !q.options)
      ctx.addIssue({ code: "custom", path: ["options"], message: "选择题须提供选项" });
    if ((q.type === "rating" || q.type === "text") && q.options)
      ctx.addIssue({ code: "custom", path: ["options"], message: "评分题和文字题没有选项" });
  });
export type Question = z.infer<typeof Question>;

export const CreateSurveyBody = z
  .object({
    title: z.string().trim().min(1).max(100),
    trigger: SurveyTrigger,
    questions: z.array(Question).min(1).max(30),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.questions.forEach((q, i) => {
      if (seen.has(q.questionId))
        ctx.addIssue({ code: "custom", path: ["questions", i, "questionId"], message: "题目编号重复" });
      seen.add(q.questionId);
    });
  });
export type CreateSurveyBody = z.infer<typeof CreateSurveyBody>;

export const Survey = z.object({
  surveyId: z.string(),
  centreId: z.string().nullable(),
  title: z.string(),
  trigger: SurveyTrigger,
  questions: z.array(
    z.object({
      questionId: z.string(),
      type: QuestionType,
      dimension: Dimension.optional(),
      text: z.string(),
      options: z.array(z.string()).optional(),
      required: z.boolean(),
    }),
  ),
  isDefault: z.boolean(),
  createdAt: DateTimeString,
});
export type Survey = z.infer<typeof Survey>;

export const InvitationAbout = z.object({
  appointmentId: z.string().optional(),
  noticeId: z.string().optional(),
  /** The team that served the resident; null for a centre-wide lecture by no particular team. */
  teamId: z.string().nullable(),
  staffId: z.string().optional(),
  serviceType: ServiceType.optional(),
});

export const MySurvey = z.object({
  invitationId: z.string(),
  surveyId: z.string(),
  residentId: z.string(),
  title: z.string(),
  about: InvitationAbout,
  questions: Survey.shape.questions,
  createdAt: DateTimeString,
  expiresAt: DateTimeString,
});

export const MySurveysQuery = PageQuery.extend({ residentId: EntityId.optional() });

export const InvitationIdParams = z.object({ invitationId: EntityId });

const AnswerValue = z.union([z.number(), z.string().max(2000), z.array(z.string().max(100)).max(20)]);
export const SubmitResponseBody = z.object({
  answers: z.array(z.object({ questionId: z.string().min(1).max(32), value: AnswerValue })).max(30),
});
export type SubmitResponseBody = z.infer<typeof SubmitResponseBody>;

export const SurveyResponseResult = z.object({
  invitationId: z.string(),
  surveyId: z.string(),
  submittedAt: DateTimeString,
  answers: z.array(z.object({ questionId: z.string(), value: AnswerValue })),
});

export const SATISFACTION_GROUPS = ["team", "staff", "month", "dimension", "serviceType"] as const;
export const SatisfactionQuery = z
  .object({
    from: DateString.optional(),
    to: DateString.optional(),
    groupBy: z.enum(SATISFACTION_GROUPS).default("team"),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({ code: "custom", path: ["to"], message: "结束日期不能早于开始日期" });
  });

const DimensionScore = z.object({ responses: z.number().int(), average: z.number().nullable() });
export const SatisfactionScores = z.object({
  from: DateString,
  to: DateString,
  groupBy: z.enum(SATISFACTION_GROUPS),
  groups: z.array(
    z.object({
      key: z.string(),
      name: z.string().optional(),
      responses: z.number().int(),
      average: z.number().nullable(),
      dimensions: z.partialRecord(Dimension, DimensionScore),
    }),
  ),
  total: z.object({ responses: z.number().int(), average: z.number().nullable() }),
});
export type SatisfactionScores = z.infer<typeof SatisfactionScores>;

export const LowScoresQuery = PageQuery;
export const LowScore = z.object({
  invitationId: z.string(),
  surveyId: z.string(),
  teamId: z.string().nullable(),
  staffId: z.string().nullable(),
  serviceType: z.string().nullable(),
  submittedAt: DateTimeString,
  lowRatings: z.array(
    z.object({ questionId: z.string(), dimension: Dimension.optional(), value: z.number() }),
  ),
  comments: z.array(z.string()),
});
