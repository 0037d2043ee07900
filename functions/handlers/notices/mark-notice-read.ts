import { httpHandler } from "../../lib/http.js";
import { markRead } from "../../services/notices.js";

export const handler = httpHandler("markNoticeRead", async ({ session, params }) => {
  await markRead(session, params.noticeId);
  return undefined;
});
