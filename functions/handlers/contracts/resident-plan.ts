import { httpHandler } from "../../lib/http.js";
import { residentPlan } from "../../services/care.js";

export const handler = httpHandler("residentPlan", async ({ session, params }) =>
  residentPlan(session, params.residentId),
);
