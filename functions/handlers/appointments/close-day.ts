import { httpHandler } from "../../lib/http.js";
import { closeDay } from "../../services/appointments.js";

export const handler = httpHandler("closeDay", async ({ session, params, body }) =>
  closeDay(session, params.teamId, params.date, body.reason),
);
