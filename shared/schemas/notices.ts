import * as z from "zod/mini";
import { DateTimeString, EntityId, PageQuery } from "./common.js";

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
  z.string().check(
    z.trim(),
    z.minLength(1, `请填写${what}`),
    z.maxLength(max, `${what}不能超过 ${max} 个字`),
    z.refine((v) => !/<\s*\/?\s*[a-z!][^>]*>/i.test(v), `${what}不能包含 HTML 标签`),
  );

/** Who a notice (or a manual survey) reaches: a team's signed residents or a centre's, optionally by group. */
export const NoticeAudience = z.object({
  scope: z.enum(["team", "centre"]),
  teamId: z.optional(EntityId),
  centreId: z.optional(EntityId),
  groups: z.optional(z.array(TargetGroup).check(z.maxLength(5))),
});

export const AudienceEstimateBody = z.object({ audience: NoticeAudience });
export const AudienceEstimate = z.object({ audienceSize: z.int() });

export const PublishNoticeBody = z
  .object({
    kind: NoticeKind,
    title: PlainText(60, "标题"),
    body: PlainText(2000, "正文"),
    audience: NoticeAudience,
    publishAt: z.optional(DateTimeString),
    lecture: z.optional(
      z.object({
        venue: PlainText(100, "地点"),
        startsAt: DateTimeString,
        capacity: z.int().check(z.minimum(1), z.maximum(2000)),
      }),
    ),
  })
  .check(
    z.superRefine((b, ctx) => {
      if (b.audience.scope === "team" && !b.audience.teamId) {
        ctx.addIssue({ code: "custom", path: ["audience", "teamId"], message: "团队通知须指定团队" });
      }
      if (b.kind === "lecture" && !b.lecture)
        ctx.addIssue({ code: "custom", path: ["lecture"], message: "讲座须填写地点、时间和名额" });
      if (b.kind !== "lecture" && b.lecture)
        ctx.addIssue({ code: "custom", path: ["lecture"], message: "只有讲座可以填写讲座信息" });
    }),
  );
export type PublishNoticeBody = z.infer<typeof PublishNoticeBody>;

export const PublishResult = z.object({
  noticeId: z.string(),
  audienceSize: z.int(),
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
  teamId: z.nullable(z.string()),
  audience: PublishNoticeBody.shape.audience,
  publishAt: DateTimeString,
  status: z.enum(["scheduled", "publishing", "published"]),
  lecture: z.nullable(
    z.object({
      venue: z.string(),
      startsAt: DateTimeString,
      capacity: z.int(),
      registered: z.int(),
      remaining: z.int(),
    }),
  ),
  /** For the reader: whether they (or the family member it was sent to) have read it. */
  read: z.optional(z.boolean()),
  registeredResidentIds: z.optional(z.array(z.string())),
  /** The reader's family members this notice was sent to (only they may register). */
  reachedResidentIds: z.optional(z.array(z.string())),
});

export const InboxItem = z.object({
  /** Null for personal messages (reminders) that are not notices. */
  noticeId: z.nullable(z.string()),
  messageId: z.string(),
  residentId: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  publishedAt: DateTimeString,
  read: z.boolean(),
});
export const InboxQuery = PageQuery;
/** markInboxRead: one message of the inbox, located as listMyNotices answered it. */
export const InboxMessageParams = z.object({ messageId: EntityId });
export const MarkInboxReadBody = z.object({
  /** Whose inbox (the caller or a family member the account acts for). */
  residentId: EntityId,
  /** The message's `publishedAt` as listed. */
  publishedAt: DateTimeString,
});

export const NoticeIdParams = z.object({ noticeId: EntityId });
export const RegistrationBody = z.object({ residentId: EntityId });
export const RegistrationParams = z.object({ noticeId: EntityId, residentId: EntityId });
export const Registration = z.object({
  noticeId: z.string(),
  residentId: z.string(),
  registeredAt: DateTimeString,
  attendedAt: z.nullable(DateTimeString),
});

/** A lecture's check-in code: rotates every minute, valid until `expiresAt` (the minute after). */
export const CheckInToken = z.object({
  noticeId: z.string(),
  token: z.string(),
  expiresAt: DateTimeString,
  /** When the screen should fetch the next code. */
  rotatesAt: DateTimeString,
});
export const CheckInBody = z.object({
  token: z.string().check(z.trim(), z.minLength(1, "请扫描签到二维码"), z.maxLength(64)),
  residentId: EntityId,
});

export const RegistrationListItem = z.object({
  residentId: z.string(),
  residentName: z.string(),
  registeredAt: DateTimeString,
  attendedAt: z.nullable(DateTimeString),
});

export const NoticeStats = z.object({
  audienceSize: z.int(),
  delivered: z.int(),
  read: z.int(),
  registered: z.int(),
  attended: z.int(),
  pushed: z.int(),
  pushRefused: z.int(),
});

export const SubscriptionsBody = z.object({
  /** What wx.requestSubscribeMessage answered: template id → "accept" | "reject" | "ban". */
  results: z.record(z.string().check(z.maxLength(64)), z.enum(["accept", "reject", "ban", "filter"])),
});
export const SubscriptionsResult = z.object({
  grants: z.array(z.object({ templateId: z.string(), remaining: z.int() })),
});

export const SuggestionsQuery = z.object({
  month: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, "月份格式应为 YYYY-MM"))),
});
export const NoticeSuggestion = z.object({
  key: z.string(),
  kind: NoticeKind,
  title: z.string(),
  body: z.string(),
  groups: z.array(TargetGroup),
  reason: z.string(),
});

export const UnreachedQuery = z.extend(PageQuery, {
  year: z.optional(z.coerce.number().check(z.int(), z.minimum(2020), z.maximum(2100))),
});
export const UnreachedHousehold = z.object({
  householdId: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  members: z.int(),
});

export const InboxSummary = z.object({ unread: z.int() });
