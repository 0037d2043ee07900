import { httpHandler } from "../../lib/http.js";
import { cancelAppointment } from "../../services/appointments.js";

export const handler = httpHandler("cancelAppointment", async ({ session, params, body }) =>
  cancelAppointment(session, params.appointmentId, body.reason),
);
