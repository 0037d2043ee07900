import Taro from "@tarojs/taro";
import { request } from "./request";
import { saveSession } from "./session";
import type { AuthResult, DevLoginRequest, WechatLoginRequest } from "./types";

/** devLogin — local stage only (404 when deployed). */
export function devLogin(body: DevLoginRequest): Promise<AuthResult> {
  return request<AuthResult>({ method: "POST", path: "/v1/auth/dev-login", data: body, anonymous: true });
}

/** wechatLogin — exchanges a wx.login code for our token. */
export function wechatLogin(body: WechatLoginRequest): Promise<AuthResult> {
  return request<AuthResult>({ method: "POST", path: "/v1/auth/wechat-login", data: body, anonymous: true });
}

/** Runs Taro.login (weapp) and wechatLogin, then stores the session. */
export async function loginWithWechat(): Promise<AuthResult> {
  const { code } = await Taro.login();
  if (!code) throw new Error("微信登录失败，请重试");
  const result = await wechatLogin({ code });
  saveSession(result.token, result.user);
  return result;
}

/** Runs devLogin and stores the session. */
export async function loginWithOpenid(openid: string): Promise<AuthResult> {
  const result = await devLogin({ openid });
  saveSession(result.token, result.user);
  return result;
}
