import { httpHandler } from "../../lib/http.js";
import { createSurvey } from "../../services/surveys.js";

export const handler = httpHandler("createSurvey", async ({ session, params, body }) =>
  createSurvey(session, params.centreId, body),
);
