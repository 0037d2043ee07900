import { httpHandler } from "../../lib/http.js";
import { listMyFollowUps } from "../../services/follow-ups.js";

export const handler = httpHandler("listMyFollowUps", async ({ session, query }) =>
  listMyFollowUps(session, query.status, query.limit, query.cursor),
);
