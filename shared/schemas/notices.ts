import { z } from "zod";
import { DateString, DateTimeString, EntityId, PageQuery } from "./common.js";

export const NOTICE_KINDS = ["lecture", "seasonal", "emergency", "education"] as const;
export const NoticeKind = z.enum(NOTICE_KINDS);
export type NoticeKind = z.infer<typeof NoticeKind>;
export const NOTICE_KIND_NAMES: Record<NoticeKind, string> = {
  lecture: "健康讲座",
  seasonal: "季节性健康提示",
  emergency: "突发公共卫生事件",
  education: "健康教育",
};

/** Groups a notice can be narrowed to (issue 6); the others are not used for targeting. */
export const TargetGroup = z.enum(["elderly", "children", "pregnant", "chronic", "disabled"]);

/** Plain text only: the mini-program renders text, and markup is refused rather than stored. */
const PlainText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `请填写${what}`)
    .max(max, `${what}不能超过 ${max} 个字`)
    .refine((v) => !/<\s*\/?\s*[a-z!][^>]*>/i.test(v), `${what}不能包含 HTML 标签`);

export const PublishNoticeBody = z
  .object({
    kind: NoticeKind,
    title: PlainText(60, "标题"),
    body: PlainText(2000, "正文"),
    audience: z.object({
      scope: z.enum(["team", "centre"]),
      teamId: EntityId.optional(),
      centreId: EntityId.optional(),
      groups: z.array(TargetGroup).max(5).optional(),
    }),
    publishAt: DateTimeString.optional(),
    lecture: z
      .object({
        venue: PlainText(100, "地点"),
        startsAt: DateTimeString,
        capacity: z.number().int().min(1).max(2000),
      })
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.audience.scope === "team" && !b.audience.teamId) {
      ctx.addIssue({ code: "custom", path: ["audience", "teamId"], message: "团队通知须指定团队" });
    }
    if (b.kind === "lecture" && !b.lecture)
      ctx.addIssue({ code: "custom", path: ["lecture"], message: "讲座须填写地点、时间和名额" });
    if (b.kind !== "lecture" && b.lecture)
      ctx.addIssue({ code: "custom", path: ["lecture"], message: "只有讲座可以填写讲座信息" });
  });
export type PublishNoticeBody = z.infer<typeof PublishNoticeBody>;

export const PublishResult = z.object({
  noticeId: z.string(),
  audienceSize: z.number().int(),
  status: z.enum(["scheduled", "publishing", "published"]),
  publishAt: DateTimeString,
});

export const Notice = z.object({
  noticeId: z.string(),
  kind: NoticeKind,
  kindName: z.string(),
  title: z.string(),
  body: z.string(),
  centreId: z.string(),
  teamId: z.string().nullable(),
  audience: PublishNoticeBody.shape.audience,
  publishAt: DateTimeString,
  status: z.enum(["scheduled", "publishing", "published"]),
  lecture: z
    .object({
      venue: z.string(),
      startsAt: DateTimeString,
      capacity: z.number().int(),
      registered: z.number().int(),
      remaining: z.number().int(),
    })
    .nullable(),
  /** For the reader: whether they (or the family member it was sent to) have read it. */
  read: z.boolean().optional(),
  registeredResidentIds: z.array(z.string()).optional(),
});

export const InboxItem = z.object({
  /** Null for personal messages (reminders) that are not notices. */
  noticeId: z.string().nullable(),
  messageId: z.string(),
  residentId: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  publishedAt: DateTimeString,
  read: z.boolean(),
});
export const InboxQuery = PageQuery;

export const NoticeIdParams = z.object({ noticeId: EntityId });
export const RegistrationBody = z.object({ residentId: EntityId });
export const RegistrationParams = z.object({ noticeId: EntityId, residentId: EntityId });
export const Registration = z.object({
  noticeId: z.string(),
  residentId: z.string(),
  registeredAt: DateTimeString,
  attendedAt: DateTimeString.nullable(),
});

export const NoticeStats = z.object({
  audienceSize: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  registered: z.number().int(),
  attended: z.number().int(),
  pushed: z.number().int(),
  pushRefused: z.number().int(),
});

export const SubscriptionsBody = z.object({
  /** What wx.requestSubscribeMessage answered: template id → "accept" | "reject" | "ban". */
  results: z.record(z.string().max(64), z.enum(["accept", "reject", "ban", "filter"])),
});
export const SubscriptionsResult = z.object({
  grants: z.array(z.object({ templateId: z.string(), remaining: z.number().int() })),
});

export const SuggestionsQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "月份格式应为 YYYY-MM")
    .optional(),
});
export const NoticeSuggestion = z.object({
  key: z.string(),
  kind: NoticeKind,
  title: z.string(),
  body: z.string(),
  groups: z.array(TargetGroup),
  reason: z.string(),
});

export const UnreachedQuery = PageQuery.extend({
  year: z.coerce.number().int().min(2020).max(2100).optional(),
});
export const UnreachedHousehold = z.object({
  householdId: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  members: z.number().int(),
});

export const InboxSummary = z.object({ unread: z.number().int() });
