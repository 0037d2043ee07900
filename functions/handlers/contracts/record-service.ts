import { httpHandler } from "../../lib/http.js";
import { recordService } from "../../services/contracts.js";

export const handler = httpHandler("recordService", async ({ session, params, body, headers }) =>
  recordService(session, params.contractId, body, headers["idempotency-key"]),
);
