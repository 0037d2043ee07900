import { httpHandler } from "../../lib/http.js";
import { listHomeVisitRequests } from "../../services/home-visits.js";

export const handler = httpHandler("listHomeVisitRequests", async ({ session, params, query }) =>
  listHomeVisitRequests(session, params.residentId, query.limit, query.cursor),
);
