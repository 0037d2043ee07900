import { httpHandler } from "../../lib/http.js";
import { recordSubscriptions } from "../../services/notices.js";

export const handler = httpHandler("recordSubscriptions", async ({ session, body }) =>
  recordSubscriptions(session, body),
);
