import { httpHandler } from "../../lib/http.js";
import { declineHomeVisit } from "../../services/home-visits.js";

export const handler = httpHandler("declineHomeVisit", async ({ session, params, body }) =>
  declineHomeVisit(session, params.requestId, body.reason),
);
