import { httpHandler } from "../../lib/http.js";
import { requestHomeVisit } from "../../services/home-visits.js";

export const handler = httpHandler("requestHomeVisit", async ({ session, body }) =>
  requestHomeVisit(session, body),
);
