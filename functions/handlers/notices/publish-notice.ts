import { httpHandler } from "../../lib/http.js";
import { publish } from "../../services/notices.js";

export const handler = httpHandler("publishNotice", async ({ session, body }) => publish(session, body));
