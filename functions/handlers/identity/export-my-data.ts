import { httpHandler } from "../../lib/http.js";
import { loadMe } from "../../services/identity.js";

export const handler = httpHandler("exportMyData", async ({ session }) => ({
  exportedAt: new Date().toISOString(),
  ...(await loadMe(session)),
}));
