import { httpHandler } from "../../lib/http.js";
import { audienceEstimate } from "../../services/notices.js";

export const handler = httpHandler("estimateNoticeAudience", async ({ session, body }) =>
  audienceEstimate(session, body.audience),
);
