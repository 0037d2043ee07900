import { httpHandler } from "../../lib/http.js";
import { updateCentreSettings } from "../../services/settings.js";

export const handler = httpHandler("updateCentreSettings", async ({ session, params, body }) =>
  updateCentreSettings(session, params.centreId, body),
);
