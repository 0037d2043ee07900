import { httpHandler } from "../../lib/http.js";
import { listTeamAppointments } from "../../services/appointments.js";

export const handler = httpHandler("listTeamAppointments", async ({ session, params, query }) =>
  listTeamAppointments(session, params.teamId, query.date, query.limit, query.cursor),
);
