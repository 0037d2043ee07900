import { logger } from "./logger.js";
import { cachedUnlessFailed } from "./retrying-cache.js";

/**
 * The few WeChat server APIs we call (no well-kept npm client exists): jscode2session,
 * stable_token and subscribeMessage.send. The base URL is configuration, so local runs and tests
 * talk to the fake server on loopback. The session_key never leaves this module's callers'
 * process and is never logged.
 */
export class WechatError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`WeChat error ${errcode}: ${errmsg}`);
  }
}

const base = () => process.env.WECHAT_API_BASE ?? "https://api.weixin.qq.com";
const appId = () => {
  const id = process.env.WECHAT_APPID;
  if (!id) throw new Error("WECHAT_APPID is not set");
  return id;
};

/** The AppSecret, from the SecureString parameter named by WECHAT_SECRET_PARAM (SSM, or the twin's). */
const secret = cachedUnlessFailed(async () => {
  const name = process.env.WECHAT_SECRET_PARAM;
  if (!name) throw new Error("WECHAT_SECRET_PARAM is not set: the function does not declare uses: wechat");
  const { SSMClient, GetParameterCommand } = await import("@aws-sdk/client-ssm");
  const client = new SSMClient({ requestHandler: { requestTimeout: 3_000, throwOnRequestTimeout: true } });
  const out = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  if (!out.Parameter?.Value) throw new Error("WeChat app secret parameter is empty");
  return out.Parameter.Value;
});

async function call(path: string, init?: { query?: Record<string, string>; body?: unknown }) {
  const url = new URL(path, base());
  for (const [k, v] of Object.entries(init?.query ?? {})) url.searchParams.set(k, v);
  const response = await fetch(url, {
    method: init?.body === undefined ? "GET" : "POST",
    headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(5_000),
  });
  const json = (await response.json()) as Record<string, unknown>;
  const errcode = typeof json.errcode === "number" ? json.errcode : 0;
  if (errcode !== 0) throw new WechatError(errcode, String(json.errmsg ?? ""));
  return json;
}

export async function code2Session(code: string): Promise<{ openid: string; sessionKey: string }> {
  const json = await call("/sns/jscode2session", {
    query: { appid: appId(), secret: await secret(), js_code: code, grant_type: "authorization_code" },
  });
  if (typeof json.openid !== "string" || typeof json.session_key !== "string") {
    throw new WechatError(-1, "malformed jscode2session answer");
  }
  return { openid: json.openid, sessionKey: json.session_key };
}

let token: { value: string; expiresAt: number } | undefined;

/** stable_token keeps one token valid across callers; cached until five minutes before expiry. */
async function accessToken(): Promise<string> {
  if (token && token.expiresAt > Date.now()) return token.value;
  const json = await call("/cgi-bin/stable_token", {
    body: { grant_type: "client_credential", appid: appId(), secret: await secret() },
  });
  const value = String(json.access_token);
  token = { value, expiresAt: Date.now() + (Number(json.expires_in) - 300) * 1000 };
  return value;
}

export type SendResult = "sent" | "refused" | "failed";

/** Sends one subscribe message; "refused" (43101) means the user holds no grant for the template. */
export async function sendSubscribeMessage(message: {
  openid: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
}): Promise<SendResult> {
  try {
    await call("/cgi-bin/message/subscribe/send", {
      query: { access_token: await accessToken() },
      body: {
        touser: message.openid,
        template_id: message.templateId,
        page: message.page,
        data: message.data,
      },
    });
    return "sent";
  } catch (error) {
    if (error instanceof WechatError && error.errcode === 43101) return "refused";
    if (error instanceof WechatError && (error.errcode === 40001 || error.errcode === 42001))
      token = undefined;
    logger.warn("subscribe message failed", {
      errcode: error instanceof WechatError ? error.errcode : undefined,
    });
    return "failed";
  }
}
