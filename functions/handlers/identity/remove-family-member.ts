import { httpHandler } from "../../lib/http.js";
import { removeFamilyMember } from "../../services/residents.js";

export const handler = httpHandler("removeFamilyMember", async ({ session, params }) =>
  removeFamilyMember(session, params.residentId),
);
