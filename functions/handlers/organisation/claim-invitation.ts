import { httpHandler } from "../../lib/http.js";
import { claim } from "../../services/staff.js";

export const handler = httpHandler("claimInvitation", async ({ session, body }) =>
  claim(session, body.code, body.name),
);
