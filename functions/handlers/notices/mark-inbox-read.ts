import { httpHandler } from "../../lib/http.js";
import { markInboxRead } from "../../services/notices.js";

export const handler = httpHandler("markInboxRead", async ({ session, params, body }) =>
  markInboxRead(session, params.messageId, body),
);
