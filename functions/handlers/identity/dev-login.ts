import { findOrCreateUser } from "../../data/identity-repo.js";
import { sessionVersionOf } from "../../domain/staff.js";
import { env } from "../../lib/env.js";
import { notFound } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { loginResponse } from "../../lib/session.js";

// The route is never deployed; refusing outside the local stage is a second lock on the door.
export const handler = httpHandler("devLogin", async ({ body }) => {
  if (!env.isLocal) throw notFound("接口不存在");
  const user = await findOrCreateUser(body.openid);
  return loginResponse(user, sessionVersionOf(user));
});
