import { httpHandler } from "../../lib/http.js";
import { reject } from "../../services/contracts.js";

export const handler = httpHandler("rejectContract", async ({ session, params, body }) =>
  reject(session, params.contractId, body.reason),
);
