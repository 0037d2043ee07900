import { httpHandler } from "../../lib/http.js";
import { resolveFollowUp } from "../../services/follow-ups.js";

export const handler = httpHandler("resolveFollowUp", async ({ session, params, body }) =>
  resolveFollowUp(session, params.responseId, body),
);
