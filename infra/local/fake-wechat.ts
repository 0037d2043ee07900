import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * A stand-in for api.weixin.qq.com on loopback, answering as WeChat documents it:
 * jscode2session (a code works once and expires after 5 minutes; unknown → 40029, reused → 40163),
 * stable_token, and subscribeMessage.send (43101 when the user holds no grant for the template).
 * `/__fake/*` routes play the WeChat client's part: wx.login and wx.requestSubscribeMessage.
 */
export interface FakeWechat {
  url: string;
  appId: string;
  appSecret: string;
  /** What wx.login would return for this user. */
  login(openid: string, options?: { issuedMsAgo?: number }): string;
  grantSubscription(openid: string, templateId: string, count?: number): void;
  sent: SentMessage[];
  stop(): Promise<void>;
}

export interface SentMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: unknown;
  sentAt: string;
}

const CODE_TTL_MS = 5 * 60 * 1000;

export async function startFakeWechat(options: { port?: number; appId?: string; appSecret?: string } = {}) {
  const appId = options.appId ?? "wx-local-demo";
  const appSecret = options.appSecret ?? "local-secret";
  const codes = new Map<string, { openid: string; issuedAt: number; used: boolean }>();
  const tokens = new Map<string, number>();
  const grants = new Map<string, number>();
  const sent: SentMessage[] = [];

  const login = (openid: string, opts: { issuedMsAgo?: number } = {}) => {
    const code = randomBytes(16).toString("hex");
    codes.set(code, { openid, issuedAt: Date.now() - (opts.issuedMsAgo ?? 0), used: false });
    return code;
  };
  const grantSubscription = (openid: string, templateId: string, count = 1) => {
    const key = `${openid}|${templateId}`;
    grants.set(key, (grants.get(key) ?? 0) + count);
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const send = (body: unknown, status = 200) => reply(res, status, body);
      if (url.pathname === "/sns/jscode2session" && req.method === "GET") {
        const q = url.searchParams;
        if (q.get("appid") !== appId) return send({ errcode: 40013, errmsg: "invalid appid" });
        if (q.get("secret") !== appSecret) return send({ errcode: 40125, errmsg: "invalid appsecret" });
        if (q.get("grant_type") !== "authorization_code")
          return send({ errcode: 40002, errmsg: "invalid grant_type" });
        const entry = codes.get(q.get("js_code") ?? "");
        if (!entry || Date.now() - entry.issuedAt > CODE_TTL_MS)
          return send({ errcode: 40029, errmsg: "invalid code" });
        if (entry.used) return send({ errcode: 40163, errmsg: "code been used" });
        entry.used = true;
        return send({ openid: entry.openid, session_key: randomBytes(16).toString("base64") });
      }
      if (url.pathname === "/cgi-bin/stable_token" && req.method === "POST") {
        const body = await readJson(req);
        if (body.appid !== appId) return send({ errcode: 40013, errmsg: "invalid appid" });
        if (body.secret !== appSecret) return send({ errcode: 40125, errmsg: "invalid appsecret" });
        const token = `fake-token-${randomBytes(8).toString("hex")}`;
        tokens.set(token, Date.now() + 7200 * 1000);
        return send({ access_token: token, expires_in: 7200 });
      }
      if (url.pathname === "/cgi-bin/message/subscribe/send" && req.method === "POST") {
        const expiry = tokens.get(url.searchParams.get("access_token") ?? "");
        if (!expiry) return send({ errcode: 40001, errmsg: "invalid credential, access_token is invalid" });
        if (expiry < Date.now()) return send({ errcode: 42001, errmsg: "access_token expired" });
        const body = await readJson(req);
        if (typeof body.touser !== "string" || !body.touser)
          return send({ errcode: 40003, errmsg: "invalid openid" });
        if (typeof body.template_id !== "string" || !body.template_id) {
          return send({ errcode: 40037, errmsg: "invalid template_id" });
        }
        const key = `${body.touser}|${body.template_id}`;
        const left = grants.get(key) ?? 0;
        if (left < 1) return send({ errcode: 43101, errmsg: "user refuse to accept the msg" });
        grants.set(key, left - 1);
        sent.push({
          touser: body.touser,
          template_id: body.template_id,
          page: typeof body.page === "string" ? body.page : undefined,
          data: body.data,
          sentAt: new Date().toISOString(),
        });
        return send({ errcode: 0, errmsg: "ok" });
      }
      if (url.pathname === "/__fake/login" && req.method === "POST") {
        const body = await readJson(req);
        return send({ code: login(String(body.openid), { issuedMsAgo: Number(body.issuedMsAgo ?? 0) }) });
      }
      if (url.pathname === "/__fake/subscriptions" && req.method === "POST") {
        const body = await readJson(req);
        grantSubscription(String(body.openid), String(body.templateId), Number(body.count ?? 1));
        return send({ ok: true });
      }
      if (url.pathname === "/__fake/sent" && req.method === "GET") return send({ messages: sent });
      return send({ errcode: 404, errmsg: "not found" }, 404);
    } catch {
      return reply(res, 400, { errcode: 47001, errmsg: "data format error" });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const fake: FakeWechat = {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    login,
    grantSubscription,
    sent,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return fake;
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  if (!parsed || typeof parsed !== "object") throw new Error("not an object");
  return parsed as Record<string, unknown>;
}
