import { httpHandler } from "../../lib/http.js";
import { saveOwnProfile } from "../../services/residents.js";

export const handler = httpHandler("updateMyProfile", async ({ session, body }) =>
  saveOwnProfile(session, body),
);
