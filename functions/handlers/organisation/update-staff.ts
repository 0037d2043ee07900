import { httpHandler } from "../../lib/http.js";
import { updateStaff } from "../../services/staff.js";

export const handler = httpHandler("updateStaff", async ({ session, params, body }) =>
  updateStaff(session, params.centreId, params.userId, body),
);
