import { httpHandler } from "../../lib/http.js";
import { apply } from "../../services/contracts.js";

export const handler = httpHandler("applyContract", async ({ session, body }) => apply(session, body));
