import { httpHandler } from "../../lib/http.js";
import { districtSatisfaction } from "../../services/district.js";

export const handler = httpHandler("districtSatisfaction", async ({ session, params, query }) =>
  districtSatisfaction(session, params.districtId, query),
);
