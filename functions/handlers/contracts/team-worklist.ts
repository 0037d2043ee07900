import { httpHandler } from "../../lib/http.js";
import { teamWorklist } from "../../services/worklist.js";

export const handler = httpHandler("teamWorklist", async ({ session, params, query }) =>
  teamWorklist(session, params.teamId, query),
);
