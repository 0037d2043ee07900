import { httpHandler } from "../../lib/http.js";
import { stats } from "../../services/notices.js";

export const handler = httpHandler("noticeStats", async ({ session, params }) =>
  stats(session, params.noticeId),
);
