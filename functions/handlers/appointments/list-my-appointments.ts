import { listRepresentations } from "../../data/identity-repo.js";
import { forbidden } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { listMyAppointments } from "../../services/appointments.js";

export const handler = httpHandler("listMyAppointments", async ({ session, query }) => {
  const residentIds = (await listRepresentations(session.userId)).map((r) => r.residentId);
  if (query.residentId && !residentIds.includes(query.residentId))
    throw forbidden("只能查看本人或家庭成员的预约");
  return listMyAppointments(query.residentId ? [query.residentId] : residentIds, query.limit, query.cursor);
});
