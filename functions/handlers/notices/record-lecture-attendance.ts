import { httpHandler } from "../../lib/http.js";
import { recordAttendance } from "../../services/notices.js";

export const handler = httpHandler("recordLectureAttendance", async ({ session, params, body }) =>
  recordAttendance(session, params.noticeId, body.residentId),
);
