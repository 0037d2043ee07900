import { httpHandler } from "../../lib/http.js";
import { listMySurveys } from "../../services/surveys.js";

export const handler = httpHandler("listMySurveys", async ({ session, query }) =>
  listMySurveys(session, query.residentId, query.limit, query.cursor),
);
