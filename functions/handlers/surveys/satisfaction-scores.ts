import { httpHandler } from "../../lib/http.js";
import { satisfactionScores } from "../../services/surveys.js";

export const handler = httpHandler(
  "satisfactionScores",
  async ({ session, params, query }) => (await satisfactionScores(session, params.centreId, query)).result,
);
