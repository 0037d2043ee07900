import { httpHandler } from "../../lib/http.js";
import { removeStaff } from "../../services/staff.js";

export const handler = httpHandler("removeStaff", async ({ session, params }) =>
  removeStaff(session, params.centreId, params.userId),
);
