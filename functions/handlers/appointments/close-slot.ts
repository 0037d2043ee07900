import { httpHandler } from "../../lib/http.js";
import { closeSlot } from "../../services/appointments.js";

export const handler = httpHandler("closeSlot", async ({ session, params, body }) =>
  closeSlot(session, params.slotId, body.reason),
);
