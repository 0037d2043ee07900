import { httpHandler } from "../../lib/http.js";
import { getCentreSettings } from "../../services/settings.js";

export const handler = httpHandler("getCentreSettings", async ({ session, params }) =>
  getCentreSettings(session, params.centreId),
);
