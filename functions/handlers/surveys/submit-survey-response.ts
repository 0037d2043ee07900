import { httpHandler } from "../../lib/http.js";
import { submitResponse } from "../../services/surveys.js";

export const handler = httpHandler("submitSurveyResponse", async ({ session, params, body }) =>
  submitResponse(session, params.invitationId, body),
);
