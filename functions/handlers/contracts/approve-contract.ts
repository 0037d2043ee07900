import { httpHandler } from "../../lib/http.js";
import { approve } from "../../services/contracts.js";

export const handler = httpHandler("approveContract", async ({ session, params }) =>
  approve(session, params.contractId),
);
