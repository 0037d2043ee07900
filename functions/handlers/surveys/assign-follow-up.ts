import { httpHandler } from "../../lib/http.js";
import { assignFollowUp } from "../../services/follow-ups.js";

export const handler = httpHandler("assignFollowUp", async ({ session, params, body }) =>
  assignFollowUp(session, params.responseId, body.assigneeId),
);
