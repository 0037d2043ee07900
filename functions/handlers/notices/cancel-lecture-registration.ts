import { httpHandler } from "../../lib/http.js";
import { cancelRegistration } from "../../services/notices.js";

export const handler = httpHandler("cancelLectureRegistration", async ({ session, params }) =>
  cancelRegistration(session, params.noticeId, params.residentId),
);
