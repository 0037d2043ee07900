import { httpHandler } from "../../lib/http.js";
import { contactAudit } from "../../services/care.js";

export const handler = httpHandler("listContactAudit", async ({ session, params, query }) =>
  contactAudit(session, params.centreId, query.staffId, query.limit, query.cursor),
);
