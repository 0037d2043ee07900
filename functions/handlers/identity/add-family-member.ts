import { httpHandler } from "../../lib/http.js";
import { addFamilyMember } from "../../services/residents.js";

export const handler = httpHandler("addFamilyMember", async ({ session, body }) =>
  addFamilyMember(session, body),
);
