import * as z from "zod/mini";
import { ServiceType } from "../enums.js";
import { DateString, DateTimeString, EntityId, PageQuery } from "./common.js";
import { TargetGroup } from "./notices.js";

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
  .check(
    z.minLength(1),
    z.maxLength(32),
    z.regex(/^[A-Za-z0-9_-]+$/, "题目编号只能包含字母、数字、下划线和连字符"),
  );

export const Question = z
  .object({
    questionId: QuestionId,
    type: QuestionType,
    dimension: z.optional(Dimension),
    text: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    options: z.optional(
      z
        .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))
        .check(z.minLength(2), z.maxLength(20)),
    ),
    required: z._default(z.boolean(), true),
  })
  .check(
    z.superRefine((q, ctx) => {
      if (q.type === "rating" && !q.dimension)
        ctx.addIssue({ code: "custom", path: ["dimension"], message: "评分题须指定评价维度" });
      if ((q.type === "choice" || q.type === "multiple_choice") && !q.options)
        ctx.addIssue({ code: "custom", path: ["options"], message: "选择题须提供选项" });
      if ((q.type === "rating" || q.type === "text") && q.options)
        ctx.addIssue({ code: "custom", path: ["options"], message: "评分题和文字题没有选项" });
    }),
  );
export type Question = z.infer<typeof Question>;

/** Who a manual survey goes to: the same targeting as notices (a team or the centre, optionally groups). */
export const SurveyAudience = z.object({
  scope: z.enum(["team", "centre"]),
  teamId: z.optional(EntityId),
  groups: z.optional(z.array(TargetGroup).check(z.maxLength(5))),
});
export type SurveyAudience = z.infer<typeof SurveyAudience>;

export const CreateSurveyBody = z
  .object({
    title: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    trigger: SurveyTrigger,
    questions: z.array(Question).check(z.minLength(1), z.maxLength(30)),
    /** `manual` only: invitations go out through the notice fan-out, once per resident. */
    audience: z.optional(SurveyAudience),
    publishAt: z.optional(DateTimeString),
    /** `manual` only: no answers after this; invitations end here at the latest. */
    closesAt: z.optional(DateTimeString),
  })
  .check(
    z.superRefine((b, ctx) => {
      if (b.trigger !== "manual") {
        for (const field of ["audience", "publishAt", "closesAt"] as const)
          if (b[field] !== undefined)
            ctx.addIssue({ code: "custom", path: [field], message: "只有手动发放的问卷可以指定对象和时间" });
      }
      if (b.audience?.scope === "team" && !b.audience.teamId)
        ctx.addIssue({ code: "custom", path: ["audience", "teamId"], message: "面向团队的问卷须指定团队" });
      if ((b.publishAt || b.closesAt) && !b.audience)
        ctx.addIssue({ code: "custom", path: ["audience"], message: "定时发放或截止须指定发放对象" });
      if (b.closesAt && Date.parse(b.closesAt) <= Date.parse(b.publishAt ?? new Date().toISOString()))
        ctx.addIssue({ code: "custom", path: ["closesAt"], message: "截止时间须晚于发放时间" });
      const seen = new Set<string>();
      b.questions.forEach((q, i) => {
        if (seen.has(q.questionId))
          ctx.addIssue({ code: "custom", path: ["questions", i, "questionId"], message: "题目编号重复" });
        seen.add(q.questionId);
      });
    }),
  );
export type CreateSurveyBody = z.infer<typeof CreateSurveyBody>;

export const Survey = z.object({
  surveyId: z.string(),
  centreId: z.nullable(z.string()),
  title: z.string(),
  trigger: SurveyTrigger,
  questions: z.array(
    z.object({
      questionId: z.string(),
      type: QuestionType,
      dimension: z.optional(Dimension),
      text: z.string(),
      options: z.optional(z.array(z.string())),
      required: z.boolean(),
    }),
  ),
  isDefault: z.boolean(),
  createdAt: DateTimeString,
  audience: z.optional(
    z.object({
      scope: z.enum(["team", "centre"]),
      teamId: z.optional(z.string()),
      groups: z.optional(z.array(TargetGroup)),
    }),
  ),
  publishAt: z.optional(DateTimeString),
  closesAt: z.optional(DateTimeString),
  /** The fan-out carrying a manual survey's invitations (a notice that is not shown as one). */
  fanoutId: z.optional(z.string()),
  /** Invitations the fan-out is expected to send (the audience estimate at creation). */
  audienceSize: z.optional(z.int()),
});
export type Survey = z.infer<typeof Survey>;

export const InvitationAbout = z.object({
  appointmentId: z.optional(z.string()),
  noticeId: z.optional(z.string()),
  /** The team that served the resident; null for a centre-wide lecture by no particular team. */
  teamId: z.nullable(z.string()),
  staffId: z.optional(z.string()),
  serviceType: z.optional(ServiceType),
  /** The team being evaluated, by name (the annual evaluation before renewal names it). */
  teamName: z.optional(z.string()),
  contractId: z.optional(z.string()),
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

export const MySurveysQuery = z.extend(PageQuery, { residentId: z.optional(EntityId) });

export const InvitationIdParams = z.object({ invitationId: EntityId });

const AnswerValue = z.union([
  z.number(),
  z.string().check(z.maxLength(2000)),
  z.array(z.string().check(z.maxLength(100))).check(z.maxLength(20)),
]);
export const SubmitResponseBody = z.object({
  answers: z
    .array(z.object({ questionId: z.string().check(z.minLength(1), z.maxLength(32)), value: AnswerValue }))
    .check(z.maxLength(30)),
  /**
   * The survey's tick box "同意中心就低分情况与我联系回访": only with it does the manager see who gave
   * a low score (≤ 2); without it the response stays anonymous and counts only in the figures.
   */
  contactConsent: z.optional(z.boolean()),
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
    from: z.optional(DateString),
    to: z.optional(DateString),
    groupBy: z._default(z.enum(SATISFACTION_GROUPS), "team"),
    /** With groupBy month or dimension: one team's figures only (its 12-month trend per dimension). */
    teamId: z.optional(EntityId),
  })
  .check(
    z.superRefine((q, ctx) => {
      if (q.from && q.to && q.from > q.to)
        ctx.addIssue({ code: "custom", path: ["to"], message: "结束日期不能早于开始日期" });
    }),
  );

const DimensionScore = z.object({ responses: z.int(), average: z.nullable(z.number()) });
export const SatisfactionScores = z.object({
  from: DateString,
  to: DateString,
  groupBy: z.enum(SATISFACTION_GROUPS),
  groups: z.array(
    z.object({
      key: z.string(),
      name: z.optional(z.string()),
      responses: z.int(),
      average: z.nullable(z.number()),
      dimensions: z.partialRecord(Dimension, DimensionScore),
    }),
  ),
  total: z.object({ responses: z.int(), average: z.nullable(z.number()) }),
});
export type SatisfactionScores = z.infer<typeof SatisfactionScores>;

export const FOLLOW_UP_OUTCOMES = ["reached", "unreachable", "resolved"] as const;
export const FollowUpOutcome = z.enum(FOLLOW_UP_OUTCOMES);

/** 回访: a consented low score assigned to a staff member outside the rated team (or the manager). */
export const FollowUp = z.object({
  responseId: z.string(),
  centreId: z.string(),
  teamId: z.nullable(z.string()),
  assigneeId: z.string(),
  assignedBy: z.string(),
  assignedAt: DateTimeString,
  status: z.enum(["assigned", "closed"]),
  outcome: z.nullable(FollowUpOutcome),
  issue: z.nullable(z.string()),
  action: z.nullable(z.string()),
  note: z.nullable(z.string()),
  closedAt: z.nullable(DateTimeString),
  closedBy: z.nullable(z.string()),
});
export type FollowUp = z.infer<typeof FollowUp>;

export const ResponseIdParams = z.object({ responseId: EntityId });
export const AssignFollowUpBody = z.object({ assigneeId: EntityId });
const FollowUpText = (max: number) => z.string().check(z.trim(), z.maxLength(max));
export const ResolveFollowUpBody = z.object({
  outcome: FollowUpOutcome,
  note: FollowUpText(500),
  /** What the resident raised when reached. */
  issue: z.optional(FollowUpText(500)),
  /** What was done about it. */
  action: z.optional(FollowUpText(500)),
});

export const LowScoresQuery = PageQuery;

export const MY_FOLLOW_UP_STATES = ["open", "resolved"] as const;
export const MyFollowUpsQuery = z.extend(PageQuery, {
  status: z._default(z.enum(MY_FOLLOW_UP_STATES), "open"),
});
const LowRating = z.object({ questionId: z.string(), dimension: z.optional(Dimension), value: z.number() });
/** listMyFollowUps: a follow-up assigned to the caller, with what they need to make the call. */
export const MyFollowUp = z.object({
  responseId: z.string(),
  followUp: FollowUp,
  /** The resident who consented to be contacted; null once their data was erased. */
  contact: z.nullable(z.object({ name: z.string(), phoneMasked: z.nullable(z.string()) })),
  teamId: z.nullable(z.string()),
  teamName: z.nullable(z.string()),
  submittedAt: DateTimeString,
  lowRatings: z.array(LowRating),
  comments: z.array(z.string()),
});
export type MyFollowUp = z.infer<typeof MyFollowUp>;
export const LowScore = z.object({
  /** The response's id (its invitation's): what follow-up paths name. */
  responseId: z.string(),
  invitationId: z.string(),
  contactConsent: z.boolean(),
  /** Who gave the score: only when they ticked the consent box; otherwise null. */
  contact: z.nullable(
    z.object({ residentId: z.string(), name: z.string(), phoneMasked: z.nullable(z.string()) }),
  ),
  followUp: z.nullable(FollowUp),
  surveyId: z.string(),
  teamId: z.nullable(z.string()),
  staffId: z.nullable(z.string()),
  serviceType: z.nullable(z.string()),
  submittedAt: DateTimeString,
  lowRatings: z.array(LowRating),
  comments: z.array(z.string()),
});

export const SurveyParams = z.object({ centreId: EntityId, surveyId: EntityId });

const QuestionResult = z.object({
  questionId: z.string(),
  type: QuestionType,
  text: z.string(),
  dimension: z.optional(Dimension),
  /** Ratings: how many gave 1…5; null under the 5-response floor. */
  distribution: z.optional(z.nullable(z.record(z.string(), z.int()))),
  average: z.optional(z.nullable(z.number())),
  /** Choices: how many chose each option; null under the floor. */
  counts: z.optional(z.nullable(z.array(z.object({ option: z.string(), count: z.int() })))),
});

/** surveyResults: counts always; every breakdown of answers only for groups of at least 5 responses. */
export const SurveyResults = z.object({
  surveyId: z.string(),
  title: z.string(),
  trigger: SurveyTrigger,
  closesAt: z.nullable(DateTimeString),
  minResponses: z.int(),
  invited: z.int(),
  responded: z.int(),
  responseRate: z.nullable(z.number()),
  teams: z.array(
    z.object({
      teamId: z.nullable(z.string()),
      name: z.nullable(z.string()),
      invited: z.int(),
      responded: z.int(),
      responseRate: z.nullable(z.number()),
      questions: z.nullable(z.array(QuestionResult)),
      comments: z.nullable(z.array(z.string())),
    }),
  ),
  questions: z.array(QuestionResult),
  /** Free-text answers without identity, newest first; null under the floor. */
  comments: z.nullable(z.array(z.string())),
});

export const DISTRICT_SATISFACTION_GROUPS = ["centre", "month", "dimension"] as const;
export const DistrictSatisfactionQuery = z
  .object({
    from: z.optional(DateString),
    to: z.optional(DateString),
    groupBy: z._default(z.enum(DISTRICT_SATISFACTION_GROUPS), "centre"),
  })
  .check(
    z.superRefine((q, ctx) => {
      if (q.from && q.to && q.from > q.to)
        ctx.addIssue({ code: "custom", path: ["to"], message: "结束日期不能早于开始日期" });
    }),
  );

export const DistrictSatisfaction = z.object({
  districtId: z.string(),
  from: DateString,
  to: DateString,
  groupBy: z.enum(DISTRICT_SATISFACTION_GROUPS),
  groups: z.array(
    z.object({
      key: z.string(),
      name: z.optional(z.string()),
      responses: z.int(),
      average: z.nullable(z.number()),
      dimensions: z.partialRecord(Dimension, DimensionScore),
    }),
  ),
  total: z.object({ responses: z.int(), average: z.nullable(z.number()) }),
});
