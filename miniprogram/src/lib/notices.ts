/**
 * Pure rules of the notice pages: Chinese labels, dates in China time, the lecture's places, the
 * publish form's checks. Kept free of Taro so component tests import them directly; runtime lists
 * mirror shared/ (which imports zod at runtime), `satisfies Record<…>` keeps them complete.
 */
import type { InboxItem, NoticeKind, TargetGroup } from "../services/types";
import { addDays } from "./appointments";
import { todayInChina } from "./id-number";

export const NOTICE_KIND_LABELS = {
  lecture: "健康讲座",
  seasonal: "季节提示",
  emergency: "突发事件",
  education: "健康教育",
} as const satisfies Record<NoticeKind, string>;
export const NOTICE_KINDS = Object.keys(NOTICE_KIND_LABELS) as NoticeKind[];

export const NOTICE_KIND_COLOURS = {
  lecture: { background: "#eef4fb", color: "#245a8d" },
  seasonal: { background: "#fff3dc", color: "#8a5a00" },
  emergency: { background: "#fdecea", color: "#d93026" },
  education: { background: "#e8f6ef", color: "#166a56" },
} as const satisfies Record<NoticeKind, { background: string; color: string }>;

/** The priority groups a notice can be narrowed to (shared/schemas/notices TargetGroup). */
export const TARGET_GROUP_LABELS = {
  elderly: "65岁以上老人",
  children: "0–6岁儿童",
  pregnant: "孕产妇",
  chronic: "慢病患者",
  disabled: "残疾人",
} as const satisfies Record<TargetGroup, string>;
export const TARGET_GROUPS = Object.keys(TARGET_GROUP_LABELS) as TargetGroup[];

/** Inbox kinds include personal messages (reminders) besides the notice kinds. */
const PERSONAL_KIND_LABELS: Record<string, string> = { contract_result: "签约结果" };

export function kindLabel(kind: string): string {
  return (NOTICE_KIND_LABELS as Record<string, string>)[kind] ?? PERSONAL_KIND_LABELS[kind] ?? "提醒";
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** "2026-11-24 09:30" in China time. */
export function dateTimeText(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

/** "YYYY-MM" of today in China time. */
export function thisMonth(now: Date = new Date()): string {
  return todayInChina(now).slice(0, 7);
}

/** The month `months` before (negative) or after `month` ("2026-01" − 1 → "2025-12"). */
export function addMonths(month: string, months: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The last day (YYYY-MM-DD) of a month. */
export function monthEnd(month: string): string {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}

/** An ISO instant with the +08:00 offset from a China date and HH:mm, or null when malformed. */
export function chinaInstant(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  return `${date}T${time}:00+08:00`;
}

export interface NoticeDraft {
  kind: NoticeKind | null;
  title: string;
  body: string;
  scheduled: boolean;
  publishDate: string;
  publishTime: string;
  venue: string;
  lectureDate: string;
  lectureTime: string;
  capacity: string;
}

export type DraftErrors = Partial<Record<keyof NoticeDraft, string>>;

/** The publish form's checks (the server checks again): plain text, limits, lecture fields. */
export function checkDraft(draft: NoticeDraft, now: Date = new Date()): DraftErrors {
  const errors: DraftErrors = {};
  const markup = /<\s*\/?\s*[a-z!][^>]*>/i;
  if (!draft.kind) errors.kind = "请选择通知类型";
  const title = draft.title.trim();
  if (!title) errors.title = "请填写标题";
  else if (title.length > 60) errors.title = "标题不能超过 60 个字";
  else if (markup.test(title)) errors.title = "标题不能包含 HTML 标签";
  const body = draft.body.trim();
  if (!body) errors.body = "请填写正文";
  else if (body.length > 2000) errors.body = "正文不能超过 2000 个字";
  else if (markup.test(body)) errors.body = "正文不能包含 HTML 标签";
  if (draft.scheduled) {
    const at = chinaInstant(draft.publishDate, draft.publishTime);
    if (!at) errors.publishTime = "请按 时:分 填写发布时间，如 08:30";
    else if (Date.parse(at) <= now.getTime()) errors.publishTime = "定时发布的时间须晚于现在";
  }
  if (draft.kind === "lecture") {
    if (!draft.venue.trim()) errors.venue = "请填写讲座地点";
    else if (draft.venue.trim().length > 100) errors.venue = "地点不能超过 100 个字";
    const at = chinaInstant(draft.lectureDate, draft.lectureTime);
    if (!at) errors.lectureTime = "请按 时:分 填写讲座时间，如 14:30";
    else if (Date.parse(at) <= now.getTime()) errors.lectureTime = "讲座时间须晚于现在";
    const capacity = Number(draft.capacity);
    if (!/^\d+$/.test(draft.capacity.trim()) || capacity < 1 || capacity > 2000)
      errors.capacity = "名额须为 1–2000 的整数";
  }
  return errors;
}

/** Unread messages of an inbox page (the server's count covers the whole inbox). */
export function unreadOf(items: readonly Pick<InboxItem, "read">[]): number {
  return items.filter((i) => !i.read).length;
}

/** One inbox entry: a notice once, however many family members it reached, or a personal message. */
export interface InboxEntry {
  item: InboxItem;
  /** The family members this entry reached (one for a personal message). */
  residentIds: string[];
  /** Unread when any copy is: reading the notice reads it for all of them (markNoticeRead). */
  read: boolean;
}

/**
 * The inbox holds one copy per family member a notice reached (the channel of record is per
 * resident); the resident reads one entry per notice that names them all. Order: the newest copy.
 */
export function groupInbox(items: readonly InboxItem[]): InboxEntry[] {
  const entries: InboxEntry[] = [];
  const byNotice = new Map<string, InboxEntry>();
  for (const item of items) {
    const existing = item.noticeId ? byNotice.get(item.noticeId) : undefined;
    if (existing) {
      if (!existing.residentIds.includes(item.residentId)) existing.residentIds.push(item.residentId);
      existing.read = existing.read && item.read;
      continue;
    }
    // Personal messages (no notice behind them) cannot be marked read: they show as read.
    const entry = { item, residentIds: [item.residentId], read: item.noticeId ? item.read : true };
    entries.push(entry);
    if (item.noticeId) byNotice.set(item.noticeId, entry);
  }
  return entries;
}

/**
 * Unread notices counted once each: the server counts copies (one per family member), so the
 * extra unread copies among the loaded messages are taken off.
 */
export function distinctUnread(serverUnread: number, items: readonly InboxItem[]): number {
  const unreadCopies = items.filter((i) => i.noticeId && !i.read);
  const unreadNotices = new Set(unreadCopies.map((i) => i.noticeId)).size;
  return Math.max(0, serverUnread - (unreadCopies.length - unreadNotices));
}
