import { httpHandler } from "../../lib/http.js";
import { loadMe } from "../../services/identity.js";

export const handler = httpHandler("getMe", async ({ session }) => loadMe(session));
