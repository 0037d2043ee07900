import { httpHandler } from "../../lib/http.js";
import { updateStatus } from "../../services/appointments.js";

export const handler = httpHandler("updateAppointmentStatus", async ({ session, params, body }) =>
  updateStatus(session, params.appointmentId, body.status),
);
