import { findOrCreateUser, recordWechatSession } from "../../data/identity-repo.js";
import { sessionVersionOf } from "../../domain/staff.js";
import { ApiError } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { logger } from "../../lib/logger.js";
import { loginResponse } from "../../lib/session.js";
import { code2Session, WechatError } from "../../lib/wechat.js";

/** WeChat codes that mean "this code is no good", as opposed to WeChat being unavailable. */
const BAD_CODE = new Set([40029, 40163, 40226]);

export const handler = httpHandler("wechatLogin", async ({ body }) => {
  let session: { openid: string; sessionKey: string };
  try {
    session = await code2Session(body.code);
  } catch (error) {
    if (error instanceof WechatError && BAD_CODE.has(error.errcode)) {
      throw new ApiError(401, "INVALID_WECHAT_CODE", "微信登录凭证无效或已使用，请重新登录");
    }
    logger.error("jscode2session failed", {
      errcode: error instanceof WechatError ? error.errcode : undefined,
    });
    throw new ApiError(503, "WECHAT_UNAVAILABLE", "微信登录暂时不可用，请稍后再试");
  }
  const user = await findOrCreateUser(session.openid);
  await recordWechatSession(user.userId, session.sessionKey);
  return loginResponse(user, sessionVersionOf(user));
});
