import { httpHandler } from "../../lib/http.js";
import { scheduleHomeVisit } from "../../services/home-visits.js";

export const handler = httpHandler("scheduleHomeVisit", async ({ session, params, body }) =>
  scheduleHomeVisit(session, params.requestId, body),
);
