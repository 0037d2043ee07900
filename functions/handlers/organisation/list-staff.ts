import { httpHandler } from "../../lib/http.js";
import { listStaff } from "../../services/staff.js";

export const handler = httpHandler("listStaff", async ({ session, params, query }) =>
  listStaff(session, params.centreId, query.limit, query.cursor),
);
