import { httpHandler } from "../../lib/http.js";
import { updateFamilyMember } from "../../services/residents.js";

export const handler = httpHandler("updateFamilyMember", async ({ session, params, body }) =>
  updateFamilyMember(session, params.residentId, body),
);
