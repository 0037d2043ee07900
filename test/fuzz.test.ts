import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { Agent, type IncomingHttpHeaders, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_LIMITS } from "../functions/domain/throttling.js";
import type { RouteDef } from "../functions/lib/route.js";
import { routes } from "../functions/routes.js";
import {
  api,
  devLogin,
  idNumberFor,
  newResident,
  randomPhone,
  recordExchange,
  stack,
  uniqueOpenid,
} from "./support/api.js";

/**
 * Fuzzing every row of the route table through the local gateway. Whatever arrives — junk path
 * parameters, junk queries, forged tokens, wrong content types, broken or near-valid JSON — the API
 * must answer below 500, with the shared error shape and an x-request-id, and a rejected write must
 * change nothing. Replay a failing run with FUZZ_SEED=<seed printed below>.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.info(`[fuzz] seed ${SEED} — replay with FUZZ_SEED=${SEED}`);

const ROUTES: readonly RouteDef[] = routes;
const RESPONSES = join(".test-output", `responses-${process.pid}.jsonl`);

// ---------------------------------------------------------------------------------------------
// Raw HTTP: fetch would normalise the path and refuse some bytes, so requests go out as written.

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}
interface Received {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function send({ method, path, headers, body }: Sent): Promise<Received> {
  const { hostname, port } = new URL(stack().url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method,
        path,
        agent,
        headers: { ...headers, ...(body ? { "content-length": String(body.length) } : {}) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          // kept for the leak scan after the suite, like every other response (test/support/api.ts)
          appendFileSync(RESPONSES, `${text}\n`);
          // and checked against the OpenAPI document: junk requests must get declared answers too
          recordExchange({
            method,
            path,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            source: "fuzz",
          });
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${method} ${path.slice(0, 200)}`)));
    req.on("error", reject);
    req.end(body);
  });
}

const describeSent = (s: Sent, r?: Received) =>
  `${s.method} ${s.path.slice(0, 300)} auth=${(s.headers.authorization ?? "-").slice(0, 40)} ` +
  `ct=${s.headers["content-type"] ?? "-"} body=${s.body?.toString("utf8").slice(0, 200) ?? "-"}` +
  (r ? ` → ${r.status} ${r.text.slice(0, 300)}` : "");

/** Percent-encodes every byte outside the unreserved set; never throws, even on lone surrogates. */
const encodeAll = (value: string) =>
  [...Buffer.from(value, "utf8")]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${hex(b)}`))
    .join("");
/** Keeps what may legally stand in a request line as written (`..`, `/`, stray `%`), encodes the rest. */
const encodeRaw = (value: string) =>
  [...Buffer.from(value, "utf8")]
    .map((b) =>
      /[A-Za-z0-9\-._~!$&'()*+,;=:@%/]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${hex(b)}`,
    )
    .join("");
const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, "0");
const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

// ---------------------------------------------------------------------------------------------
// Who calls. Tokens are fetched once; a resident whose account a DELETE erased is replaced.

type Who = "resident" | "newcomer" | "doctor" | "manager" | "demoDoctor" | "demoManager";
interface Principal {
  token: string;
  roles: string[];
}
const pool = {} as Record<Who, Principal>;
const login = async (openid: string): Promise<Principal> => {
  const res = await api("POST", "/v1/auth/dev-login", { body: { openid } });
  return { token: res.body.token, roles: res.body.user.roles };
};
const freshResident = async (): Promise<Principal> => {
  const r = await newResident();
  return { token: r.token, roles: ["resident"] };
};
const refresh: Partial<Record<Who, () => Promise<Principal>>> = {
  resident: freshResident,
  newcomer: () => login(uniqueOpenid("fuzz-new")),
};

/**
 * Staff of our own, invited by the demo manager, so that fuzzed writes never touch the shared demo
 * accounts other test files rely on. The demo accounts are used for reads (GET) only; staff tokens
 * never send a DELETE (erasing them would cost a new team member each time).
 */
function principalFor(who: Who, method: string): Who {
  if (method === "DELETE") return who === "newcomer" ? "newcomer" : "resident";
  if (method !== "GET" && who === "demoDoctor") return "doctor";
  if (method !== "GET" && who === "demoManager") return "manager";
  return who;
}

type AuthChoice =
  | { kind: "none" }
  | { kind: "valid"; who: Who; scheme: string }
  | { kind: "garbage"; header: (token: string) => string };

const garbageAuth: fc.Arbitrary<(token: string) => string> = fc.oneof(
  fc.constantFrom<(token: string) => string>(
    () => "Bearer",
    () => "Bearer ",
    () => "Basic dXNlcjpwYXNz",
    () => "Bearer a.b.c",
    () => "Bearer null",
    () => "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1X2RlbW9fbWFuYWdlciIsInJvbGVzIjpbIm1hbmFnZXIiXX0.",
    (t: string) => t,
    (t: string) => `Bearer ${t}x`,
    (t: string) => `Bearer ${t.slice(0, -4)}`,
    (t: string) => `Token ${t}`,
    (t: string) => `Bearer ${t} ${t}`,
    (t: string) => {
      const [h, , s] = t.split(".");
      const forged = b64url(JSON.stringify({ sub: "u_demo_manager", roles: ["manager"], iss: "jiayi" }));
      return `Bearer ${h}.${forged}.${s}`;
    },
  ),
  fc.string({ unit: "grapheme-ascii", maxLength: 300 }).map((s) => () => `Bearer ${s}`),
  fc.string({ unit: "grapheme-ascii", maxLength: 100 }).map((s) => () => s),
);
const authArb: fc.Arbitrary<AuthChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: "none" as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("valid" as const),
      who: fc.constantFrom<Who>("resident", "newcomer", "doctor", "manager", "demoDoctor", "demoManager"),
      scheme: fc.constantFrom("Bearer ", "Bearer ", "Bearer ", "bearer ", "BEARER\t"),
    }),
  },
  { weight: 3, arbitrary: garbageAuth.map((header) => ({ kind: "garbage" as const, header })) },
);

// ---------------------------------------------------------------------------------------------
// What is sent: path parameters, queries, headers and bodies.

const KNOWN_IDS = ["c_demo", "t_demo_1", "t_demo_3", "n_demo_1", "u_demo_manager", "c_other", "r_01J000000"];
const PARAM_JUNK = [
  "..",
  ".",
  "...",
  "%",
  "%zz",
  "%2e%2e",
  "%2F",
  "a%2Fb",
  "%00",
  "%E4%B8",
  "%C0%AE",
  "%25",
  "%20",
  " ",
  "\u200b",
  "\u0000",
  "null",
  "undefined",
  "0",
  "-1",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "CENTRE#c_demo",
  "c_demo#TEAMS",
  "😀",
  "%F0%9F%98%80",
  "和平里",
  "../..",
  "..%2F..",
  "c_demo/../c_demo",
];
const paramValueArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_IDS) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
  { weight: 3, arbitrary: fc.constantFrom(...PARAM_JUNK) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 65, maxLength: 1500 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }) },
);
/** `encoded`: a well-formed segment that must reach the route; `raw`: as a client might mistype it. */
const paramArb = fc.record({ value: paramValueArb, mode: fc.constantFrom("encoded", "encoded", "raw") });

const LIMITS = [
  "0",
  "-1",
  "1",
  "100",
  "101",
  "1e2",
  "1e309",
  "99999999999999999999999",
  "NaN",
  "Infinity",
  "-Infinity",
  "abc",
  "",
  " 7 ",
  "0x10",
  "1.5",
  "١٠",
  "+5",
  "5,5",
];
const CURSORS = [
  "",
  "null",
  "%",
  "garbage!!",
  b64url(JSON.stringify({ pk: "CENTRE#c_other", sk: "CENTRE" })),
  b64url(JSON.stringify({ gsi1pk: "TEAMS", gsi1sk: "x", pk: "x", sk: "x" })),
  b64url("[]"),
  b64url("{"),
  b64url('"CENTRES"'),
  "x".repeat(1025),
  "x".repeat(2000),
];
const realCursors: string[] = [];
const pairArb = fc.tuple(
  fc.oneof(
    fc.constantFrom("limit", "cursor", "from", "to", "status", "date", "month", "format", "groupBy"),
    fc.constantFrom("agreementVersion", "privacyPolicyVersion", "serviceType", "__proto__", "limit[]"),
    fc.string({ unit: "grapheme", maxLength: 20 }),
  ),
  fc.oneof(
    fc.constantFrom(...LIMITS),
    fc.constantFrom(...CURSORS),
    fc.constantFrom("2026-01", "2019-01", "2026-02-30", "csv", "xlsx", "json", "team", "pending"),
    fc.string({ unit: "grapheme", maxLength: 60 }),
    fc.constant("").map(() => realCursors[0] ?? ""),
  ),
);
const queryArb = (route: RouteDef) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(SAMPLES[route.operationId]?.query ?? "") },
    {
      weight: 5,
      arbitrary: fc
        .array(pairArb, { maxLength: 3 })
        .map((pairs) => pairs.map(([k, v]) => `${encodeAll(k)}=${encodeAll(v)}`).join("&")),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...LIMITS), fc.constantFrom(...CURSORS))
        .map(([l, c]) => `limit=${encodeAll(l)}&cursor=${encodeAll(c)}`),
    },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 200 }).map(encodeRaw) },
    { weight: 1, arbitrary: fc.constant("limit=1&limit=2&cursor=a&cursor=b") },
  );

const contentTypeArb = fc.constantFrom(
  "application/json",
  "application/json",
  "application/json",
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json-seq",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/xml",
  "",
  undefined,
);

/** A valid request per operation where one is easy to write; unknown routes fall back to `{}`. */
interface Sample {
  body?: Record<string, unknown>;
  query?: string;
}
const SAMPLES: Record<string, Sample> = {};

function buildSamples() {
  Object.assign(SAMPLES, {
    getConfig: { query: "agreementVersion=2026-01&privacyPolicyVersion=2026-01" },
    listCentres: { query: "limit=10" },
    wechatLogin: { body: { code: "fuzz-no-such-code" } },
    devLogin: { body: { openid: uniqueOpenid("fuzz-dev") } },
    updateMyProfile: {
      body: {
        name: "模糊测试",
        idType: "resident_id_card",
        idNumber: idNumberFor("1970-01-01"),
        phone: randomPhone(),
        neighbourhoodId: "n_demo_1",
        address: "和平里一区 1 号楼",
        declaredGroups: ["chronic"],
        consents: { privacyPolicyVersion: "2026-01", healthData: true },
      },
    },
    addFamilyMember: {
      body: {
        name: "模糊家属",
        idType: "resident_id_card",
        idNumber: idNumberFor("1945-02-03", "male"),
        relation: "parent",
        phone: randomPhone(),
        consent: { confirmed: true },
      },
    },
    createInvitation: { body: { role: "nurse", teamId: "t_demo_3" } },
    claimInvitation: { body: { code: "ZZZZ-ZZZZ", name: "模糊测试" } },
    // Contract routes: valid bodies aimed at ids that do not exist, so a success can never sign,
    // reject or end anything other test files look at. Routes that would change the shared demo
    // centre for everyone (createTeam, updateTeamCapacity) deliberately keep the `{}` fallback.
    applyContract: {
      body: {
        residentId: "r_fuzz_nobody",
        teamId: "t_demo_3",
        packageIds: [],
        agreementVersion: "2026-01",
        signature: { confirmed: true },
      },
    },
    rejectContract: { body: { reason: "资料不全" } },
    requestTermination: { body: { reason: "moved_out", note: "搬家" } },
    recordService: {
      body: { type: "consultation", deliveredAt: "2026-11-20T09:00:00+08:00", place: "社区卫生服务中心" },
    },
    listTeamContracts: { query: "status=pending&limit=5" },
  } satisfies Record<string, Sample>);
}

/** Every path to a value inside a JSON value: ["consents", "healthData"], ["declaredGroups", 0]… */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return [prefix, ...value.flatMap((v, i) => leafPaths(v, [...prefix, i]))];
  }
  if (value && typeof value === "object") {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
  }
  return [prefix];
}

function withChange(
  base: unknown,
  path: (string | number)[],
  change: { op: "set"; value: unknown } | { op: "delete" } | { op: "add"; key: string; value: unknown },
): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  const parentPath = change.op === "add" ? path : path.slice(0, -1);
  let parent: unknown = copy;
  for (const key of parentPath) parent = (parent as Record<string | number, unknown>)[key];
  if (change.op === "add") {
    if (parent && typeof parent === "object" && !Array.isArray(parent)) {
      Object.defineProperty(parent, change.key, {
        value: change.value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    return copy;
  }
  const last = path.at(-1);
  if (last === undefined) return change.op === "set" ? change.value : undefined;
  const target = parent as Record<string | number, unknown>;
  if (change.op === "set") target[last] = change.value;
  else if (Array.isArray(target)) target.splice(Number(last), 1);
  else delete target[last];
  return copy;
}

const oddValueArb = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    null,
    "",
    " ",
    "\u0000",
    "x".repeat(10_000),
    "测".repeat(5_000),
    -1,
    0,
    1e308,
    -0,
    true,
    false,
    [],
    {},
    "<script>alert(1)</script>",
    "' OR '1'='1",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, meant literally
    "${jndi:ldap://x}",
    "2026-02-30",
    "11010519491231002X",
    "passport",
    "manager",
  ),
  fc.string({ unit: "binary", maxLength: 80 }),
);
const nearValidArb = (route: RouteDef): fc.Arbitrary<string> => {
  const base = SAMPLES[route.operationId]?.body ?? {};
  const paths = leafPaths(base);
  return fc
    .oneof(
      // the valid example itself, so that cases get past validation into the handler
      fc.record({
        path: fc.constant<(string | number)[]>([]),
        change: fc.constant({ op: "set" as const, value: base }),
      }),
      fc.record({
        path: fc.constantFrom(...paths),
        change: oddValueArb.map((value) => ({ op: "set" as const, value })),
      }),
      fc.record({ path: fc.constantFrom(...paths), change: fc.constant({ op: "delete" as const }) }),
      fc.record({
        path: fc.constantFrom(...paths),
        change: fc.record({
          op: fc.constant("add" as const),
          key: fc.oneof(fc.constantFrom("__proto__", "constructor", "role", "roles", "userId"), fc.string()),
          value: oddValueArb,
        }),
      }),
    )
    .map(({ path, change }) => JSON.stringify(withChange(base, path, change)) ?? "");
};

const INVALID_JSON = [
  "{",
  "}",
  "[",
  '{"a":',
  "{'a':1}",
  '{"a":1,}',
  "NaN",
  "undefined",
  "{a:1}",
  '"',
  "\u0000",
];
const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
const bodyArb = (route: RouteDef): fc.Arbitrary<Buffer | undefined> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.json({ maxDepth: 4 }).map((s) => Buffer.from(s)) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 300 }).map((s) => Buffer.from(s)) },
    { weight: 2, arbitrary: fc.constantFrom(...INVALID_JSON).map((s) => Buffer.from(s)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean())
        .map(([d, arr]) => Buffer.from(arr ? nested(d, "[", "]") : `${'{"a":'.repeat(d)}1${"}".repeat(d)}`)),
    },
    {
      weight: 1,
      arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 })).map((a) => Buffer.from(JSON.stringify(a))),
    },
    { weight: 6, arbitrary: nearValidArb(route).map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(64 * 1024 - 50, 64 * 1024 + 1, 70_000)
        .map((n) => Buffer.from(JSON.stringify({ pad: "x".repeat(n) }))),
    },
  );

// ---------------------------------------------------------------------------------------------
// The request for one route, and what every answer must look like.

interface Case {
  route: RouteDef;
  method: string;
  params: { value: string; mode: string }[];
  query: string;
  auth: AuthChoice;
  contentType: string | undefined;
  body: Buffer | undefined;
  idempotencyKey: string | undefined;
  preflight: boolean;
}

/** Counterexamples name the route instead of dumping its zod schemas. */
const labelled = (route: RouteDef): RouteDef =>
  Object.assign({ ...route }, { [fc.toStringMethod]: () => `<${route.operationId}>` });

const caseArb = (route: RouteDef): fc.Arbitrary<Case> => {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)];
  return fc.record({
    route: fc.constant(labelled(route)),
    method: fc.oneof(
      { weight: 19, arbitrary: fc.constant(route.method as string) },
      { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS") },
    ),
    params: fc.array(paramArb, { minLength: names.length, maxLength: names.length }),
    query: queryArb(route),
    auth: authArb,
    contentType: contentTypeArb,
    body: bodyArb(route),
    idempotencyKey: fc.option(fc.string({ unit: "grapheme-ascii", maxLength: 80 }), { nil: undefined }),
    preflight: fc.boolean(),
  });
};

const anyCaseArb = fc.constantFrom(...ROUTES).chain(caseArb);

const HEADER_SAFE = /^[\t\x20-\x7e]*$/;

/** The route the gateway will pick for a method and path, by the same rule: first match in table order. */
const COMPILED = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(
    `^${route.path
      .split("/")
      .map((seg) => (/^\{\w+\}$/.test(seg) ? "([^/]+)" : seg.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")))
      .join("/")}$`,
  ),
}));
function routeFor(method: string, path: string): RouteDef | undefined {
  const { pathname } = new URL(path, "http://x");
  try {
    decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  return COMPILED.find((c) => c.route.method === method && c.pattern.test(pathname))?.route;
}

function materialise(c: Case): { sent: Sent; who?: Who; target?: RouteDef } {
  let i = 0;
  const segments = c.params.map((p) => (p.mode === "raw" ? encodeRaw(p.value) : encodeAll(p.value)));
  let path = c.route.path.replace(/\{\w+\}/g, () => segments[i++] ?? "");
  // Never leave /v1: outside it the gateway serves the H5 build (see the gateway test at the end).
  if (!new URL(path, "http://x").pathname.startsWith("/v1/")) {
    i = 0;
    path = c.route.path.replace(/\{\w+\}/g, () => encodeAll(c.params[i++]?.value ?? "") || "x");
  }
  const target = routeFor(c.method, path);
  if (c.query) path += `?${c.query}`;
  const headers: Record<string, string> = {};
  let who: Who | undefined;
  if (c.auth.kind === "valid") {
    who = principalFor(c.auth.who, c.method);
    headers.authorization = `${c.auth.scheme}${pool[who].token}`;
  } else if (c.auth.kind === "garbage") {
    const value = c.auth.header(pool.resident.token);
    if (HEADER_SAFE.test(value)) headers.authorization = value;
  }
  if (c.contentType !== undefined) headers["content-type"] = c.contentType;
  if (c.idempotencyKey !== undefined && HEADER_SAFE.test(c.idempotencyKey))
    headers["idempotency-key"] = c.idempotencyKey;
  if (c.method === "OPTIONS" && c.preflight) headers["access-control-request-method"] = "GET";
  return { sent: { method: c.method, path, headers, body: c.body }, who, target };
}

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** The properties every answer of the API holds, whatever was asked. */
function assessAnswer(sent: Sent, res: Received) {
  const where = describeSent(sent, res);
  expect(res.status, where).toBeGreaterThanOrEqual(200);
  expect(res.status, where).toBeLessThan(500);
  const requestId = res.headers["x-request-id"];
  expect(typeof requestId === "string" && requestId.length > 0, `x-request-id missing: ${where}`).toBe(true);
  if (res.status < 400) {
    if (String(res.headers["content-type"]).includes("json") && res.text) {
      expect(() => JSON.parse(res.text), `success body is not JSON: ${where}`).not.toThrow();
    }
    return;
  }
  let parsed: unknown;
  expect(() => {
    parsed = JSON.parse(res.text);
  }, `error body is not JSON: ${where}`).not.toThrow();
  const error = (parsed as { error?: Record<string, unknown> })?.error;
  expect(error, `no error object: ${where}`).toBeTypeOf("object");
  expect(String(error?.code), where).toMatch(UPPER_SNAKE);
  expect(typeof error?.message === "string" && error.message.length > 0, `no message: ${where}`).toBe(true);
  if (error?.details !== undefined) {
    expect(Array.isArray(error.details), where).toBe(true);
    for (const d of error.details as { path: unknown; message: unknown }[]) {
      expect(typeof d.path === "string" && typeof d.message === "string", `bad detail: ${where}`).toBe(true);
    }
  }
  if (error?.requestId !== undefined) expect(error.requestId, where).toBe(requestId);
}

/** Authentication comes first: without a valid token a protected route answers 401, with too few roles 403. */
function assessAuthOrder(route: RouteDef, who: Who | undefined, res: Received, sent: Sent) {
  const where = describeSent(sent, res);
  // the gateway refuses bodies over 64 KB, and throttles a route's bursts, before any handler runs
  if (route.auth === "public" || (sent.body?.length ?? 0) > 64 * 1024 || res.status === 429) return;
  if (!who) {
    expect(res.status, where).toBe(401);
    expect(JSON.parse(res.text).error.code, where).toBe("UNAUTHENTICATED");
    return;
  }
  const needed = route.auth;
  if (needed !== "user" && !needed.some((role) => pool[who].roles.includes(role))) {
    expect(res.status, where).toBe(403);
  }
}

/** What the runs produced, printed at the end: a fuzz that only ever sees 401 proves little. */
const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

async function runCase(c: Case) {
  const { sent, who, target } = materialise(c);
  const res = await send(sent);
  count(`${target?.operationId ?? "(no route)"} ${res.status}`);
  assessAnswer(sent, res);
  if (target) assessAuthOrder(target, who, res, sent);
  // An account erased by DELETE /v1/me is replaced, so later cases still hold a live token.
  if (who && sent.method === "DELETE" && res.status < 300) {
    const renew = refresh[who];
    if (renew) pool[who] = await renew();
  }
  return res;
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  buildSamples();
  const [resident, newcomer, demoDoctor, demoManager] = await Promise.all([
    freshResident(),
    login(uniqueOpenid("fuzz-new")),
    login("demo-doctor-3"),
    login("demo-manager"),
  ]);
  Object.assign(pool, { resident, newcomer, demoDoctor, demoManager });
  const invite = async (body: Record<string, string>, name: string) => {
    const inv = await api("POST", "/v1/centres/c_demo/invitations", { token: demoManager.token, body });
    const token = await devLogin(uniqueOpenid("fuzz-staff"));
    const claim = await api("POST", "/v1/invitations/claim", { token, body: { code: inv.body.code, name } });
    if (claim.status !== 200) throw new Error(`claim failed: ${JSON.stringify(claim.body)}`);
    return { token: claim.body.token as string, roles: claim.body.user.roles as string[] };
  };
  pool.doctor = await invite({ role: "doctor", teamId: "t_demo_3" }, "模糊测试医生");
  pool.manager = await invite({ role: "manager" }, "模糊测试管理员");
  const page = await api("GET", "/v1/centres?limit=1", { token: resident.token });
  if (typeof page.body.nextCursor === "string") realCursors.push(page.body.nextCursor);
});

afterAll(() => {
  agent.destroy();
  const byStatus = new Map<string, number>();
  for (const [key, n] of tally) {
    const status = key.slice(key.lastIndexOf(" ") + 1);
    byStatus.set(status, (byStatus.get(status) ?? 0) + n);
  }
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const reached = new Set([...tally.keys()].map((k) => k.slice(0, k.lastIndexOf(" "))));
  console.info(
    `[fuzz] ${total} requests, ${reached.size - (reached.has("(no route)") ? 1 : 0)}/${ROUTES.length} routes reached; ` +
      `by status: ${[...byStatus]
        .sort()
        .map(([k, n]) => `${k}×${n}`)
        .join(" ")}`,
  );
  if (process.env.FUZZ_DEBUG)
    console.info(
      [...tally]
        .sort()
        .map(([k, n]) => `${k} ×${n}`)
        .join("\n"),
    );
});

describe("fuzzing every route of the table", () => {
  it("answers arbitrary requests to any route below 500, in the shared error shape, with a request id", async () => {
    await fc.assert(
      fc.asyncProperty(anyCaseArb, async (c) => {
        await runCase(c);
      }),
      { numRuns: 1600, seed: SEED, endOnFailure: true },
    );
  }, 50_000);

  it("gives every route its share of cases, with that route's near-valid bodies", async () => {
    // about 1600 requests whatever the size of the table, and never fewer than 15 per route
    const perRoute = Math.min(60, Math.max(15, Math.floor(1600 / ROUTES.length)));
    for (const [i, route] of ROUTES.entries()) {
      await fc.assert(
        fc.asyncProperty(caseArb(route), async (c) => {
          await runCase(c);
        }),
        { numRuns: perRoute, seed: SEED + 1 + i, endOnFailure: true },
      );
    }
  }, 50_000);

  it("answers raw junk in the path parameters of every parameterised route below 500", async () => {
    const withParams = ROUTES.filter((r) => r.path.includes("{"));
    if (withParams.length === 0) return;
    const arb = fc.constantFrom(...withParams).chain((route) =>
      caseArb(route).chain((c) =>
        fc
          .array(fc.record({ value: paramValueArb, mode: fc.constant("raw") }), {
            minLength: c.params.length,
            maxLength: c.params.length,
          })
          .map((params) => ({
            ...c,
            params,
            auth: { kind: "valid" as const, who: "manager" as const, scheme: "Bearer " },
          })),
      ),
    );
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        await runCase(c);
      }),
      { numRuns: 300, seed: SEED + 1000, endOnFailure: true },
    );
  }, 30_000);

  it("reached every route of the table (iterated generically, never listed here)", () => {
    const reached = new Set([...tally.keys()].map((k) => k.slice(0, k.lastIndexOf(" "))));
    const missed = ROUTES.map((r) => r.operationId).filter((id) => !reached.has(id));
    expect(missed).toEqual([]);
  });
});

describe("rejected writes change nothing", () => {
  it("leaves GET /v1/me byte-identical after any rejected profile or family write", async () => {
    // Prepare: residents with a profile and one family member, each seen through GET /v1/me. An
    // account may change its profile and family ACCOUNT_LIMITS.profile.perMinute times a minute, so
    // the runs are spread over enough of them that every case meets validation, not that limit (a
    // 429 changes nothing either, but proves less).
    const makeOwner = async () => {
      const resident = await newResident({ birthDate: "1958-04-04", declaredGroups: ["chronic"] });
      const member = await api("POST", "/v1/me/family", {
        token: resident.token,
        body: {
          name: "王奶奶",
          idType: "resident_id_card",
          idNumber: idNumberFor("1936-06-06"),
          relation: "parent",
          consent: { confirmed: true },
        },
      });
      expect(member.status).toBe(201);
      const readMe = () =>
        send({ method: "GET", path: "/v1/me", headers: { authorization: `Bearer ${resident.token}` } });
      const before = await readMe();
      expect(before.status).toBe(200);
      return { token: resident.token, readMe, before };
    };
    const numRuns = 150;
    const perOwner = ACCOUNT_LIMITS.profile.perMinute - 2; // less the profile and family of the setup
    const owners = await Promise.all(Array.from({ length: Math.ceil(numRuns / perOwner) }, makeOwner));
    const owner = owners[0] as (typeof owners)[number];
    let run = 0;

    const targets = ROUTES.filter(
      (r) => r.operationId === "updateMyProfile" || r.operationId === "addFamilyMember",
    );
    expect(targets).toHaveLength(2);
    const validBody = (route: RouteDef) => ({
      ...(SAMPLES[route.operationId]?.body ?? {}),
      idNumber: idNumberFor("1966-06-16"),
      name: "改过的名字",
    });
    /** A value of another JSON type than the original, so it can never pass the field's schema. */
    const wrongType = (original: unknown) =>
      fc
        .oneof(
          fc.integer(),
          fc.double(),
          fc.boolean(),
          fc.constant(null),
          fc.string({ maxLength: 20 }),
          fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }),
          fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
        )
        .filter((v) => {
          const kind = (x: unknown) => (Array.isArray(x) ? "array" : x === null ? "null" : typeof x);
          return kind(v) !== kind(original) && !(kind(original) === "number" && kind(v) === "number");
        });
    const rejectedArb = fc.constantFrom(...targets.map(labelled)).chain((route) => {
      const body = validBody(route);
      const fields = Object.keys(body);
      const badCheck = `${body.idNumber.slice(0, 17)}${body.idNumber.endsWith("0") ? "1" : "0"}`;
      const json = (value: unknown) => Buffer.from(JSON.stringify(value));
      const auth = { authorization: `Bearer ${owner.token}`, "content-type": "application/json" };
      return fc.oneof(
        fc
          .constantFrom(...fields)
          .chain((field) => wrongType(body[field as keyof typeof body]).map((v) => ({ ...body, [field]: v })))
          .map((b) => ({ route, headers: auth, body: json(b) })),
        fc
          .constantFrom("text/plain", "application/x-www-form-urlencoded", "application/xml")
          .map((ct) => ({ route, headers: { ...auth, "content-type": ct }, body: json(body) })),
        fc.constantFrom(...INVALID_JSON).map((s) => ({ route, headers: auth, body: Buffer.from(s) })),
        garbageAuth.map((h) => {
          const value = h(owner.token);
          return {
            route,
            headers: {
              "content-type": "application/json",
              ...(HEADER_SAFE.test(value) ? { authorization: value } : {}),
            },
            body: json(body),
          };
        }),
        fc
          .constantFrom<unknown>([], [body], "body", 1, null, true)
          .map((v) => ({ route, headers: auth, body: json(v) })),
        fc.constant({ route, headers: auth, body: json({ ...body, idNumber: badCheck }) }),
        fc.constant({ route, headers: auth, body: json({ ...body, pad: "x".repeat(70_000) }) }),
      );
    });

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(rejectedArb, async ({ route, headers, body }) => {
        // the case was drawn with the first owner's token: this run sends it as the next owner
        const target = owners[run++ % owners.length] as (typeof owners)[number];
        const asTarget = { ...headers } as Record<string, string>;
        if (asTarget.authorization)
          asTarget.authorization = asTarget.authorization.replaceAll(owner.token, target.token);
        const sent = { method: route.method, path: route.path, headers: asTarget, body };
        const res = await send(sent);
        assessAnswer(sent, res);
        expect(res.status, describeSent(sent, res)).toBeGreaterThanOrEqual(400);
        expect(res.status, describeSent(sent, res)).not.toBe(429);
        const after = await target.readMe();
        expect(after.text, describeSent(sent, res)).toBe(target.before.text);
      }),
      { numRuns, seed: SEED + 2000, endOnFailure: true },
    );
  }, 30_000);
});

describe("regressions found by fuzzing", () => {
  // A cursor naming the right partition but not a whole key of the index once reached DynamoDB as
  // ExclusiveStartKey, which threw ValidationException → 500 instead of 400.
  it("answers 400 INVALID_CURSOR, not 500, to a cursor of the right partition that is not a whole key", async () => {
    const { token } = pool.resident;
    for (const key of [
      { gsi1pk: "CENTRES" },
      { gsi1pk: "CENTRES", gsi1sk: "c", pk: "p", sk: "s", extra: "x" },
    ]) {
      const res = await api("GET", `/v1/centres?cursor=${b64url(JSON.stringify(key))}`, { token });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("INVALID_CURSOR");
    }
  });
});

describe("the local gateway with an H5 directory that has no index.html yet", () => {
  let dir = "";
  let child: ChildProcess | undefined;
  let url = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jiayi-h5-"));
    const script = [
      `const { startGateway } = await import(${JSON.stringify(join(process.cwd(), "infra/local/gateway.ts"))});`,
      `const gw = await startGateway({ functions: [], workers: [], functionsDir: ${JSON.stringify(join(process.cwd(), "functions"))}, port: 0, staticDir: ${JSON.stringify(dir)} });`,
      `console.log("READY " + gw.url);`,
    ].join("\n");
    const proc = spawn(join("node_modules", ".bin", "tsx"), ["--input-type=module", "--eval", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("gateway did not start within 20 s")), 20_000);
      let out = "";
      proc.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split("\n").find((l) => l.startsWith("READY "));
        if (line) {
          clearTimeout(timer);
          resolve(line.slice("READY ".length).trim());
        }
      });
      proc.once("exit", (code) => reject(new Error(`gateway exited early with ${code}`)));
    });
    // started and answering: an unknown API path is a 404 in the error shape
    expect((await fetch(`${url}/v1/anything`)).status).toBe(404);
  }, 30_000);

  afterAll(() => {
    if (child && child.exitCode === null && child.pid) process.kill(child.pid);
    rmSync(dir, { recursive: true, force: true });
  });

  // Regression: with a static directory but no index.html yet (an H5 build in progress), a request
  // outside /v1 once crashed the whole local stack through an unhandled stream error.
  it("answers a request outside /v1 and keeps running", async () => {
    const page = await fetch(`${url}/some/page`).then(
      (r) => r.status,
      () => 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await fetch(`${url}/v1/anything`).then(
      (r) => r.status,
      () => 0,
    );
    expect(page).toBe(404);
    expect(after).toBe(404);
    expect(child?.exitCode).toBeNull();
  });
});
