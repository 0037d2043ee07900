import { httpHandler } from "../../lib/http.js";
import { book } from "../../services/appointments.js";

export const handler = httpHandler("bookAppointment", async ({ session, body, headers }) =>
  book(session, body, headers["idempotency-key"]),
);
