import { capabilityHandler } from "../../lib/dispatch.js";
import { noticesRoutes } from "../../routes/notices.js";

/** The deployed notices function: one entry for all its routes, each module loaded on its first call. */
export const handler = capabilityHandler(noticesRoutes, {
  publishNotice: () => import("./publish-notice.js"),
  estimateNoticeAudience: () => import("./estimate-notice-audience.js"),
  listCentreNotices: () => import("./list-centre-notices.js"),
  listMyNotices: () => import("./list-my-notices.js"),
  getNotice: () => import("./get-notice.js"),
  markNoticeRead: () => import("./mark-notice-read.js"),
  markInboxRead: () => import("./mark-inbox-read.js"),
  registerLecture: () => import("./register-lecture.js"),
  cancelLectureRegistration: () => import("./cancel-lecture-registration.js"),
  listLectureRegistrations: () => import("./list-lecture-registrations.js"),
  recordLectureAttendance: () => import("./record-lecture-attendance.js"),
  createCheckInToken: () => import("./create-check-in-token.js"),
  checkInLecture: () => import("./check-in-lecture.js"),
  noticeStats: () => import("./notice-stats.js"),
  recordSubscriptions: () => import("./record-subscriptions.js"),
  noticeSuggestions: () => import("./notice-suggestions.js"),
  householdsWithoutNotice: () => import("./households-without-notice.js"),
});
