import { httpHandler } from "../../lib/http.js";
import { listInvitations } from "../../services/staff.js";

export const handler = httpHandler("listInvitations", async ({ session, params, query }) =>
  listInvitations(session, params.centreId, query.limit, query.cursor),
);
