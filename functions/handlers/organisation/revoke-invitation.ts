import { httpHandler } from "../../lib/http.js";
import { revoke } from "../../services/staff.js";

export const handler = httpHandler("revokeInvitation", async ({ session, params }) =>
  revoke(session, params.centreId, params.code),
);
