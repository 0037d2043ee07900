import { httpHandler } from "../../lib/http.js";
import { inbox } from "../../services/notices.js";

export const handler = httpHandler("listMyNotices", async ({ session, query }) =>
  inbox(session, query.limit, query.cursor),
);
