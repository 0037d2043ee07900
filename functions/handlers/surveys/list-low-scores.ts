import { httpHandler } from "../../lib/http.js";
import { listLowScores } from "../../services/surveys.js";

export const handler = httpHandler("listLowScores", async ({ session, params, query }) =>
  listLowScores(session, params.centreId, query.limit, query.cursor),
);
