import { httpHandler } from "../../lib/http.js";
import { signedContractWith } from "../../services/appointments.js";
import { joinWaitlist } from "../../services/waitlist.js";

export const handler = httpHandler("joinWaitlist", async ({ session, params, body }) =>
  joinWaitlist(session, params.slotId, body.residentId, signedContractWith),
);
