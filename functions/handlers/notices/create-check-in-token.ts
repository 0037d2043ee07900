import { httpHandler } from "../../lib/http.js";
import { checkInToken } from "../../services/notices.js";

export const handler = httpHandler("createCheckInToken", async ({ session, params }) =>
  checkInToken(session, params.noticeId),
);
