import { httpHandler } from "../../lib/http.js";
import { registerLecture } from "../../services/notices.js";

export const handler = httpHandler("registerLecture", async ({ session, params, body }) =>
  registerLecture(session, params.noticeId, body.residentId),
);
