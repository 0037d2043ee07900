import { randomUUID } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { MAX_BODY_BYTES } from "../../functions/lib/http.js";
import type { RouteDef } from "../../functions/lib/route.js";
import type { Faults } from "./faults.js";
import { RateLimiter } from "./rate-limit.js";

/**
 * The local stand-in for API Gateway (HTTP API, payload 2.0): real HTTP on loopback, the same
 * handler modules that are deployed, CORS and the body-size limit as the deployed API applies them,
 * and the H5 build served from `/` on the same origin.
 */
export interface GatewayOptions {
  /** The deployed API functions, each with the routes bound to it (local-only ones included). */
  functions: readonly { name: string; routes: readonly RouteDef[] }[];
  /** Runs a function as Lambda would (infra/local/runtime.ts); rejects when it fails or times out. */
  invoke: (name: string, event: APIGatewayProxyEventV2) => Promise<unknown>;
  /** `POST /__local/jobs/<worker>`: the local stand-in for an EventBridge schedule. */
  runSchedule?: (name: string, input: { time?: unknown; detail?: unknown }) => Promise<{ ok: boolean }>;
  /** The fault switch, read and set at `/__local/faults`. */
  faults?: Faults;
  /** The stage's default route throttle, for routes without their own (as the stack sets it). */
  defaultThrottle: { rate: number; burst: number };
  port: number;
  staticDir?: string;
  corsOrigins?: string[];
}

/** What API Gateway itself answers beyond the 10 MB payload limit of HTTP APIs. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Personal and health data must not sit in any cache; no response is sniffed into another type. */
const EDGE_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

interface CompiledRoute {
  route: RouteDef;
  fn: string;
  pattern: RegExp;
  names: string[];
}

const compile = (route: RouteDef, fn: string): CompiledRoute => {
  const names: string[] = [];
  const segments = route.path.split("/").map((segment) => {
    const param = /^\{(\w+)\}$/.exec(segment);
    if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
    names.push(param[1]);
    return "([^/]+)";
  });
  return { route, fn, pattern: new RegExp(`^${segments.join("/")}$`), names };
};

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
};

const errorBody = (code: string, message: string, requestId: string) =>
  JSON.stringify({ error: { code, message, requestId } });

export async function startGateway(
  options: GatewayOptions,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const compiled = options.functions.flatMap((fn) => fn.routes.map((route) => compile(route, fn.name)));
  const allowed = options.corsOrigins ?? ["*"];
  const limiter = new RateLimiter();
  /** API requests answered, for the fault run's summary. */
  let apiRequests = 0;

  const server = createServer(async (req, res) => {
    const requestId = randomUUID();
    const origin = req.headers.origin;
    const corsHeaders: Record<string, string> =
      origin && (allowed.includes("*") || allowed.includes(origin))
        ? {
            "access-control-allow-origin": allowed.includes("*") ? "*" : origin,
            "access-control-expose-headers": "x-request-id",
          }
        : {};
    const send = (status: number, headers: Record<string, string>, body: string | Buffer) => {
      res.writeHead(status, {
        ...EDGE_HEADERS,
        ...headers,
        ...corsHeaders,
        "x-request-id": headers["x-request-id"] ?? requestId,
      });
      res.end(body);
    };
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname === "/__local/faults" && options.faults) {
        // The fault switch's counts (GET), or new shares for what follows (POST).
        if (req.method === "POST") {
          const raw = await readBody(req, MAX_BODY_BYTES);
          if (raw !== "too-large" && raw.length) options.faults.configure(JSON.parse(raw.toString("utf8")));
        }
        return send(
          200,
          { "content-type": "application/json" },
          JSON.stringify({ requests: apiRequests, ...options.faults.summary() }),
        );
      }
      const job = /^\/__local\/jobs\/(\w+)$/.exec(url.pathname);
      if (job && req.method === "POST") {
        // Local stand-in for EventBridge: run a scheduled worker now, or "as of" a given time.
        const raw = await readBody(req, MAX_BODY_BYTES);
        const input =
          raw === "too-large" || raw.length === 0
            ? {}
            : (JSON.parse(raw.toString("utf8")) as Record<string, unknown>);
        const run = options.runSchedule;
        const outcome = run ? await run(job[1] ?? "", input).catch(() => undefined) : undefined;
        if (!outcome)
          return send(
            404,
            { "content-type": "application/json" },
            errorBody("NOT_FOUND", "没有该任务", requestId),
          );
        return send(outcome.ok ? 200 : 502, { "content-type": "application/json" }, JSON.stringify(outcome));
      }
      if (!url.pathname.startsWith("/v1/") && url.pathname !== "/v1") {
        return serveStatic(options.staticDir, url.pathname, req, res);
      }
      if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
        return send(
          204,
          {
            "access-control-allow-methods": "GET,POST,PUT,DELETE,OPTIONS",
            "access-control-allow-headers": "authorization,content-type,idempotency-key",
            "access-control-max-age": "600",
          },
          "",
        );
      }
      let rawPath: string;
      try {
        rawPath = decodeURIComponent(url.pathname);
      } catch {
        return send(
          400,
          { "content-type": "application/json" },
          errorBody("BAD_PATH", "路径编码无效", requestId),
        );
      }
      apiRequests++;
      const method = req.method ?? "GET";
      let matched: { route: RouteDef; fn: string; params: Record<string, string> } | undefined;
      for (const c of compiled) {
        if (c.route.method !== method) continue;
        const m = c.pattern.exec(url.pathname);
        if (!m) continue;
        const params: Record<string, string> = {};
        c.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1] ?? "");
        });
        matched = { route: c.route, fn: c.fn, params };
        break;
      }
      if (!matched)
        return send(
          404,
          { "content-type": "application/json" },
          errorBody("NOT_FOUND", "接口不存在", requestId),
        );

      // API Gateway's route throttles are shared by every caller of the route, as here; limits per
      // account are the handlers' own (functions/lib/account-limit.ts), against DynamoDB.
      const throttle = matched.route.throttle ?? options.defaultThrottle;
      if (!limiter.take(matched.route.operationId, throttle)) {
        return send(
          429,
          { "content-type": "application/json", "retry-after": "1" },
          errorBody("TOO_MANY_REQUESTS", "请求过于频繁，请稍后再试", requestId),
        );
      }
      const body = await readBody(req, GATEWAY_MAX_BODY_BYTES);
      if (body === "too-large") {
        // The rest of the body is still on the wire: close the connection cleanly after answering.
        return send(
          413,
          { "content-type": "application/json", connection: "close" },
          errorBody("PAYLOAD_TOO_LARGE", "请求体过大", requestId),
        );
      }
      const event = toEvent(req, url, rawPath, matched.route, matched.params, body, requestId);
      let result: APIGatewayProxyStructuredResultV2;
      try {
        result = (await options.invoke(matched.fn, event)) as APIGatewayProxyStructuredResultV2;
      } catch (error) {
        // A function error or time-out: HTTP APIs answer 500 with their own body.
        console.error(
          `[gateway] ${matched.route.operationId} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        );
        return send(
          500,
          { "content-type": "application/json" },
          errorBody("INTERNAL", "Internal Server Error", requestId),
        );
      }
      const payload = result.body ?? "";
      send(
        result.statusCode ?? 200,
        Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
        result.isBase64Encoded ? Buffer.from(payload, "base64") : payload,
      );
    } catch (error) {
      // API Gateway answers 500 "Internal Server Error" when the integration itself fails.
      console.error("[gateway] integration failure", error instanceof Error ? error.message : error);
      send(
        500,
        { "content-type": "application/json" },
        errorBody("INTERNAL", "Internal Server Error", requestId),
      );
    }
  });
  await new Promise<void>((ok) => server.listen(options.port, "127.0.0.1", ok));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const TEXT_TYPES = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i;

function toEvent(
  req: IncomingMessage,
  url: URL,
  rawPath: string,
  route: RouteDef,
  params: Record<string, string>,
  body: Buffer,
  requestId: string,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "");
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(params).length ? params : undefined,
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method: route.method,
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (isText ? body.toString("utf8") : body.toString("base64")) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function serveStatic(dir: string | undefined, pathname: string, req: IncomingMessage, res: ServerResponse) {
  const root = dir ? resolve(dir) : undefined;
  const index = root ? join(root, "index.html") : undefined;
  if (!root || !index || !existsSync(index)) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("H5 应用尚未构建：请运行 npm run build:h5");
    return;
  }
  let file = normalize(join(root, decodeSafe(pathname)));
  // Only files inside the build folder (not a sibling whose name merely starts the same).
  if (!file.startsWith(`${root}${sep}`)) file = index;
  if (!existsSync(file) || statSync(file).isDirectory()) file = index;
  const type = MIME[extname(file)] ?? "application/octet-stream";
  const stream = createReadStream(file);
  // A file removed mid-request (the H5 app being rebuilt) ends this response, not the gateway.
  stream.once("error", () => {
    if (!res.headersSent) res.writeHead(503, { "content-type": "text/plain; charset=utf-8" });
    res.end("H5 应用正在重新构建，请稍后刷新");
  });
  stream.once("open", () => {
    res.writeHead(200, {
      "content-type": type,
      "cache-control": extname(file) === ".html" ? "no-cache" : "public, max-age=3600",
    });
    if (req.method === "HEAD") {
      stream.destroy();
      res.end();
      return;
    }
    stream.pipe(res);
  });
}

function decodeSafe(pathname: string) {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return "/";
  }
}
