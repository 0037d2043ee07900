import { httpHandler } from "../../lib/http.js";
import { listCentreSurveys } from "../../services/surveys.js";

export const handler = httpHandler("listCentreSurveys", async ({ session, params, query }) =>
  listCentreSurveys(session, params.centreId, query.limit, query.cursor),
);
