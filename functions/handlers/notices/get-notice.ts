import { httpHandler } from "../../lib/http.js";
import { noticeView } from "../../services/notices.js";

export const handler = httpHandler("getNotice", async ({ session, params }) =>
  noticeView(session, params.noticeId),
);
