import { httpHandler } from "../../lib/http.js";
import { confirmTermination } from "../../services/contracts.js";

export const handler = httpHandler("confirmTermination", async ({ session, params }) =>
  confirmTermination(session, params.contractId),
);
