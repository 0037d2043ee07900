import { httpHandler } from "../../lib/http.js";
import { listSlots } from "../../services/appointments.js";

export const handler = httpHandler("listSlots", async ({ params, query }) => listSlots(params.teamId, query));
