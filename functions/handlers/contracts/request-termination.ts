import { httpHandler } from "../../lib/http.js";
import { requestTermination } from "../../services/contracts.js";

export const handler = httpHandler("requestTermination", async ({ session, params, body }) =>
  requestTermination(session, params.contractId, body),
);
