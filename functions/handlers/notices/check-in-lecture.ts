import { httpHandler } from "../../lib/http.js";
import { checkInLecture } from "../../services/notices.js";

export const handler = httpHandler("checkInLecture", async ({ session, params, body }) =>
  checkInLecture(session, params.noticeId, body),
);
