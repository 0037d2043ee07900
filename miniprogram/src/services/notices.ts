import { request } from "./request";
import type {
  AudienceEstimate,
  CheckInToken,
  Inbox,
  InboxItem,
  ListResponse,
  Notice,
  NoticeStats,
  NoticeSuggestion,
  PublishNoticeRequest,
  PublishNoticeResult,
  Registration,
  RegistrationListItem,
  SubscriptionsRequest,
  SubscriptionsResult,
} from "./types";

const enc = encodeURIComponent;

/** listMyNotices — the inbox of the account and its family members, newest first, with the unread count. */
export function listMyNotices(
  options: { cursor?: string | null; limit?: number; silent?: boolean } = {},
): Promise<Inbox> {
  return request<Inbox>({
    path: "/v1/me/notices",
    query: { limit: options.limit ?? 20, cursor: options.cursor ?? undefined },
    silent: options.silent,
  });
}

/** getNotice — the full notice; for a reader also `read` and the family members registered for a lecture. */
export function getNotice(noticeId: string): Promise<Notice> {
  return request<Notice>({ path: `/v1/notices/${enc(noticeId)}` });
}

/** markNoticeRead — 204; reads it for every family member it reached through this account. */
export function markNoticeRead(noticeId: string): Promise<void> {
  return request<void>({ method: "POST", path: `/v1/notices/${enc(noticeId)}/read`, data: {}, silent: true });
}

/**
 * markInboxRead — one message of the inbox read (a personal reminder, or a notice's copy for that
 * family member): located by its residentId and publishedAt as listed. Silent: nothing to show.
 */
export function markInboxRead(
  item: Pick<InboxItem, "messageId" | "residentId" | "publishedAt">,
): Promise<InboxItem> {
  return request<InboxItem>({
    method: "POST",
    path: `/v1/me/inbox/${enc(item.messageId)}/read`,
    data: { residentId: item.residentId, publishedAt: item.publishedAt },
    silent: true,
  });
}

/** registerLecture — 409 LECTURE_FULL / ALREADY_REGISTERED / LECTURE_STARTED are shown by the page. */
export function registerLecture(noticeId: string, residentId: string): Promise<Registration> {
  return request<Registration>({
    method: "POST",
    path: `/v1/notices/${enc(noticeId)}/registrations`,
    data: { residentId },
    silent: true,
  });
}

/** cancelLectureRegistration — frees the place again. */
export function cancelLectureRegistration(noticeId: string, residentId: string): Promise<Registration> {
  return request<Registration>({
    method: "DELETE",
    path: `/v1/notices/${enc(noticeId)}/registrations/${enc(residentId)}`,
  });
}

/** estimateNoticeAudience — the audience size shown for confirmation before publishing. */
export function estimateNoticeAudience(
  audience: PublishNoticeRequest["audience"],
): Promise<AudienceEstimate> {
  return request<AudienceEstimate>({
    method: "POST",
    path: "/v1/notices/audience-estimate",
    data: { audience },
    silent: true,
  });
}

/** publishNotice — staff to their own team, managers to the centre; 400 details are mapped by the form. */
export function publishNotice(body: PublishNoticeRequest): Promise<PublishNoticeResult> {
  return request<PublishNoticeResult>({ method: "POST", path: "/v1/notices", data: body, silent: true });
}

/** listCentreNotices — published and scheduled notices of the centre, newest first. */
export function listCentreNotices(
  centreId: string,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<ListResponse<Notice>> {
  return request<ListResponse<Notice>>({
    path: `/v1/centres/${enc(centreId)}/notices`,
    query: { limit: options.limit ?? 20, cursor: options.cursor ?? undefined },
  });
}

/** noticeSuggestions — the seasonal calendar: what the centre should be sending this month. */
export function noticeSuggestions(centreId: string, month?: string): Promise<ListResponse<NoticeSuggestion>> {
  return request<ListResponse<NoticeSuggestion>>({
    path: `/v1/centres/${enc(centreId)}/notice-suggestions`,
    query: { month },
    silent: true,
  });
}

/** noticeStats — audience, delivered, read, registered, attended, pushed (authors and managers). */
export function noticeStats(noticeId: string): Promise<NoticeStats> {
  return request<NoticeStats>({ path: `/v1/notices/${enc(noticeId)}/stats`, silent: true });
}

/** recordLectureAttendance — staff check a registered resident in (counts as health education). */
export function recordLectureAttendance(noticeId: string, residentId: string): Promise<Registration> {
  return request<Registration>({
    method: "POST",
    path: `/v1/notices/${enc(noticeId)}/attendance`,
    data: { residentId },
    silent: true,
  });
}

/** listLectureRegistrations — the lecture's registrations with names, for ticking attendance. */
export function listLectureRegistrations(noticeId: string): Promise<ListResponse<RegistrationListItem>> {
  return request<ListResponse<RegistrationListItem>>({ path: `/v1/notices/${enc(noticeId)}/registrations` });
}

/** createCheckInToken — the check-in screen's code (rotates every minute). Errors shown on the screen. */
export function createCheckInToken(noticeId: string): Promise<CheckInToken> {
  return request<CheckInToken>({
    method: "POST",
    path: `/v1/notices/${enc(noticeId)}/check-in-token`,
    data: {},
    silent: true,
  });
}

/** checkInLecture — a resident's scan; 409 CHECK_IN_INVALID for an old or foreign code. Errors shown inline. */
export function checkInLecture(noticeId: string, token: string, residentId: string): Promise<Registration> {
  return request<Registration>({
    method: "POST",
    path: `/v1/notices/${enc(noticeId)}/check-in`,
    data: { token, residentId },
    silent: true,
  });
}

/** recordSubscriptions — what wx.requestSubscribeMessage answered, so the server may push once per grant. */
export function recordSubscriptions(body: SubscriptionsRequest): Promise<SubscriptionsResult> {
  return request<SubscriptionsResult>({
    method: "POST",
    path: "/v1/me/subscriptions",
    data: body,
    silent: true,
  });
}
