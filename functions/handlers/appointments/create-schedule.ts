import { httpHandler } from "../../lib/http.js";
import { createSchedule } from "../../services/appointments.js";

export const handler = httpHandler("createSchedule", async ({ session, params, body }) =>
  createSchedule(session, params.teamId, body),
);
