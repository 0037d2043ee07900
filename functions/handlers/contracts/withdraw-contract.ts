import { httpHandler } from "../../lib/http.js";
import { withdraw } from "../../services/contracts.js";

export const handler = httpHandler("withdrawContract", async ({ session, params }) =>
  withdraw(session, params.contractId),
);
