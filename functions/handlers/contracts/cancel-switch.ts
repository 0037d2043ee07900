import { httpHandler } from "../../lib/http.js";
import { cancelSwitch } from "../../services/contracts.js";

export const handler = httpHandler("cancelSwitch", async ({ session, params }) =>
  cancelSwitch(session, params.contractId),
);
