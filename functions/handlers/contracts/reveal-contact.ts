import { httpHandler } from "../../lib/http.js";
import { revealContact } from "../../services/care.js";

export const handler = httpHandler("revealContact", async ({ session, params, body }) =>
  revealContact(session, params.residentId, body),
);
