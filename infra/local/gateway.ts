import { randomUUID } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { MAX_BODY_BYTES } from "../../functions/lib/http.js";
import type { RouteDef } from "../../functions/lib/route.js";
import type { WorkerDef } from "../../functions/lib/worker-def.js";
import { callerKey, RateLimiter } from "./rate-limit.js";

/**
 * The local stand-in for API Gateway (HTTP API, payload 2.0): real HTTP on loopback, the same
 * handler modules that are deployed, CORS and the body-size limit as the deployed API applies them,
 * and the H5 build served from `/` on the same origin.
 */
type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface GatewayOptions {
  /** The deployed API functions, each with the routes bound to it (local-only ones included). */
  functions: readonly { entry: string; routes: readonly RouteDef[] }[];
  workers: readonly WorkerDef[];
  functionsDir: string;
  port: number;
  staticDir?: string;
  corsOrigins?: string[];
}

interface CompiledRoute {
  route: RouteDef;
  entry: string;
  pattern: RegExp;
  names: string[];
}

const compile = (route: RouteDef, entry: string): CompiledRoute => {
  const names: string[] = [];
  const segments = route.path.split("/").map((segment) => {
    const param = /^\{(\w+)\}$/.exec(segment);
    if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
    names.push(param[1]);
    return "([^/]+)";
  });
  return { route, entry, pattern: new RegExp(`^${segments.join("/")}$`), names };
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
  const compiled = options.functions.flatMap((fn) => fn.routes.map((route) => compile(route, fn.entry)));
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const loadHandler = (module: string) => {
    let loaded = handlers.get(module);
    if (!loaded) {
      loaded = import(join(options.functionsDir, `${module}.ts`)).then(
        (m: { handler: LambdaHandler }) => m.handler,
      );
      handlers.set(module, loaded);
    }
    return loaded;
  };
  const allowed = options.corsOrigins ?? ["*"];
  const limiter = new RateLimiter();

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
        ...headers,
        ...corsHeaders,
        "x-request-id": headers["x-request-id"] ?? requestId,
      });
      res.end(body);
    };
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const job = /^\/__local\/jobs\/(\w+)$/.exec(url.pathname);
      if (job && req.method === "POST") {
        // Local stand-in for EventBridge: run a scheduled worker now, or "as of" a given time.
        const worker = options.workers.find((w) => w.name === job[1]);
        if (!worker)
          return send(
            404,
            { "content-type": "application/json" },
            errorBody("NOT_FOUND", "没有该任务", requestId),
          );
        const raw = await readBody(req, MAX_BODY_BYTES);
        const input =
          raw === "too-large" || raw.length === 0
            ? {}
            : (JSON.parse(raw.toString("utf8")) as Record<string, unknown>);
        const result = await runScheduledWorker(options.functionsDir, worker, input);
        return send(200, { "content-type": "application/json" }, JSON.stringify(result ?? null));
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
      const method = req.method ?? "GET";
      let matched: { route: RouteDef; entry: string; params: Record<string, string> } | undefined;
      for (const c of compiled) {
        if (c.route.method !== method) continue;
        const m = c.pattern.exec(url.pathname);
        if (!m) continue;
        const params: Record<string, string> = {};
        c.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1] ?? "");
        });
        matched = { route: c.route, entry: c.entry, params };
        break;
      }
      if (!matched)
        return send(
          404,
          { "content-type": "application/json" },
          errorBody("NOT_FOUND", "接口不存在", requestId),
        );

      const throttle = matched.route.throttle;
      if (throttle) {
        const key = `${matched.route.operationId}|${callerKey(req.headers.authorization, req.socket.remoteAddress ?? "")}`;
        if (!limiter.take(key, throttle)) {
          return send(
            429,
            { "content-type": "application/json", "retry-after": "1" },
            errorBody("TOO_MANY_REQUESTS", "请求过于频繁，请稍后再试", requestId),
          );
        }
      }
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === "too-large") {
        return send(
          413,
          { "content-type": "application/json" },
          errorBody("PAYLOAD_TOO_LARGE", `请求体不能超过 ${MAX_BODY_BYTES / 1024} KB`, requestId),
        );
      }
      const event = toEvent(req, url, rawPath, matched.route, matched.params, body, requestId);
      const handler = await loadHandler(matched.entry);
      const result = await handler(event, lambdaContext(matched.entry, requestId));
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

type WorkerHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Invokes a scheduled worker with an EventBridge "Scheduled Event" as AWS would deliver it. */
export async function runScheduledWorker(
  functionsDir: string,
  worker: WorkerDef,
  input: { time?: unknown; detail?: unknown } = {},
): Promise<unknown> {
  const { handler } = (await import(join(functionsDir, `${worker.handler}.ts`))) as {
    handler: WorkerHandler;
  };
  const time = typeof input.time === "string" ? input.time : new Date().toISOString();
  const id = randomUUID();
  const event = {
    version: "0",
    id,
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: "000000000000",
    time,
    region: "local",
    resources: [`arn:local:events:local:000000000000:rule/jiayi-${worker.name}`],
    detail: input.detail && typeof input.detail === "object" ? input.detail : {},
  };
  return handler(event, lambdaContext(worker.handler, id, 60_000));
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

/** A Lambda context as the runtime passes it, named after the handler module. */
export function lambdaContext(handlerModule: string, requestId: string, timeoutMs = 10_000): Context {
  const deadline = Date.now() + timeoutMs;
  const name = `jiayi-local-${handlerModule.replaceAll("/", "-")}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:local:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: "512",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
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
