import { httpHandler } from "../../lib/http.js";
import { contractView, loadVisible } from "../../services/contracts.js";

export const handler = httpHandler("getContract", async ({ session, params }) =>
  contractView((await loadVisible(session, params.contractId)).contract),
);
