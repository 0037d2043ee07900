import { ageOn } from "../../shared/dates.js";
import type { PriorityGroup } from "../../shared/enums.js";
import { NOTICE_KIND_NAMES, type NoticeKind } from "../../shared/schemas/notices.js";

export interface NoticeRecord {
  noticeId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  centreId: string;
  teamId?: string;
  audience: {
    scope: "team" | "centre";
    teamId?: string;
    groups?: ("elderly" | "children" | "pregnant" | "chronic" | "disabled")[];
  };
  publishAt: string;
  status: "scheduled" | "publishing" | "published";
  authorUserId: string;
  authorTeamId?: string;
  lecture?: { venue: string; startsAt: string };
  lectureCapacity?: number;
  lectureRegistered: number;
  audienceSize: number;
  delivered: number;
  read: number;
  attended: number;
  pushed: number;
  pushRefused: number;
  createdAt: string;
  /**
   * Set on the fan-out that carries a manual survey's invitations: it delivers invitations instead
   * of inbox messages, is not listed or counted as a notice, and reaches no "notified" mark.
   */
  surveyId?: string;
}

/** A recipient as the fan-out needs it: who, which household, and their groups today. */
export interface Recipient {
  residentId: string;
  householdId: string;
}

/** Current groups from a signing snapshot: age groups move with the birthday, declared ones stay. */
export function currentGroups(
  birthDate: string,
  groupsAtSigning: readonly PriorityGroup[],
  today: string,
): PriorityGroup[] {
  const age = ageOn(birthDate, today);
  const declared = groupsAtSigning.filter((g) => g !== "elderly" && g !== "elderly80" && g !== "children");
  const groups = new Set<PriorityGroup>(declared);
  if (age >= 65) groups.add("elderly");
  if (age >= 80) groups.add("elderly80");
  if (age <= 6) groups.add("children");
  return [...groups];
}

/** Without groups a notice is for everyone in scope; with groups, for anyone in one of them. */
export const inAudience = (groups: readonly PriorityGroup[], wanted?: readonly PriorityGroup[]) =>
  !wanted || wanted.length === 0 || wanted.some((g) => groups.includes(g));

/** WeChat subscribe-message templates, per purpose (the ids are configuration in production). */
export const TEMPLATES = {
  notice: process.env.WECHAT_TEMPLATE_NOTICE ?? "tmpl-health-notice",
  appointment: process.env.WECHAT_TEMPLATE_APPOINTMENT ?? "tmpl-appointment-reminder",
} as const;

export const pushPayload = (notice: Pick<NoticeRecord, "noticeId" | "kind" | "title" | "publishAt">) => ({
  templateId: TEMPLATES.notice,
  page: `pages/notice/index?noticeId=${notice.noticeId}`,
  data: {
    thing1: { value: notice.title.slice(0, 20) },
    thing2: { value: NOTICE_KIND_NAMES[notice.kind] },
    time3: { value: notice.publishAt.slice(0, 16).replace("T", " ") },
  },
});

interface Suggestion {
  key: string;
  months: number[];
  kind: NoticeKind;
  title: string;
  body: string;
  groups: ("elderly" | "children" | "pregnant" | "chronic" | "disabled")[];
  reason: string;
}

/** The seasonal calendar of DOMAIN.md: what a centre should be telling whom, month by month. */
export const SEASONAL_CALENDAR: readonly Suggestion[] = [
  {
    key: "influenza",
    months: [9, 10, 11, 12, 1, 2],
    kind: "seasonal",
    title: "流感季来临：请老人和慢病患者尽早接种流感疫苗",
    body: "秋冬季是流感高发期。65 岁以上老人和慢性病患者感染后易出现重症，请尽早到社区卫生服务中心接种流感疫苗，勤洗手、戴口罩、少去人群密集场所。",
    groups: ["elderly", "chronic"],
    reason: "秋冬季流感高发，老人和慢病患者为重点人群",
  },
  {
    key: "heatstroke",
    months: [6, 7, 8],
    kind: "seasonal",
    title: "高温天气防中暑提示",
    body: "近期气温较高，老年人请避免午间外出，多喝水，保持室内通风；出现头晕、乏力、恶心等症状请及时就医。",
    groups: ["elderly"],
    reason: "夏季高温，老年人易中暑",
  },
  {
    key: "hfmd",
    months: [4, 5, 6, 7],
    kind: "seasonal",
    title: "预防手足口病：请关注孩子的健康",
    body: "春夏季是手足口病高发季节，请给孩子勤洗手、玩具定期消毒；孩子出现发热、手足或口腔疱疹时请及时就诊，暂停入托入园。",
    groups: ["children"],
    reason: "春夏季手足口病高发，0–6 岁儿童为重点人群",
  },
  {
    key: "annual-education",
    months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    kind: "education",
    title: "家庭医生签约居民年度健康教育",
    body: "每位签约居民每年至少接受一次健康教育。欢迎参加本中心每月举办的健康讲座，或向您的家庭医生团队咨询。",
    groups: [],
    reason: "签约服务要求每户每年至少一次健康教育与通知",
  },
];

export const suggestionsFor = (month: number) =>
  SEASONAL_CALENDAR.filter((s) => s.months.includes(month)).map(({ months: _months, ...s }) => s);

/** A notice as readers and authors see it (counters stay in the stats endpoint). */
export const toNoticeView = (n: NoticeRecord) => ({
  noticeId: n.noticeId,
  kind: n.kind,
  kindName: NOTICE_KIND_NAMES[n.kind],
  title: n.title,
  body: n.body,
  centreId: n.centreId,
  teamId: n.teamId ?? null,
  audience: n.audience,
  publishAt: n.publishAt,
  status: n.status,
  lecture:
    n.lecture && n.lectureCapacity !== undefined
      ? {
          ...n.lecture,
          capacity: n.lectureCapacity,
          registered: n.lectureRegistered,
          remaining: Math.max(0, n.lectureCapacity - n.lectureRegistered),
        }
      : null,
});
