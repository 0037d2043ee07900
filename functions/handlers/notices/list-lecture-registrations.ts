import { httpHandler } from "../../lib/http.js";
import { registrations } from "../../services/notices.js";

export const handler = httpHandler("listLectureRegistrations", async ({ session, params }) =>
  registrations(session, params.noticeId),
);
