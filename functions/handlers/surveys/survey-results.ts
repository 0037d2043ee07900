import { httpHandler } from "../../lib/http.js";
import { surveyResults } from "../../services/surveys.js";

export const handler = httpHandler("surveyResults", async ({ session, params }) =>
  surveyResults(session, params.centreId, params.surveyId),
);
