import { appendFileSync, mkdirSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import { inject } from "vitest";
import { checkCharacter } from "../../shared/id-number.js";

/** Real HTTP against the local gateway; every response body is kept for the leak scan. */
export const stack = () => inject("stack");

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

const RESPONSES = join(".test-output", `responses-${process.pid}.jsonl`);
/**
 * Every API exchange of the run, validated against the OpenAPI document afterwards (after-run.ts).
 * JIAYI_EXCHANGES_DIR moves them elsewhere (after-run.ts reads the same variable).
 */
export const EXCHANGES_DIR = process.env.JIAYI_EXCHANGES_DIR ?? join(".test-output", "exchanges");
const EXCHANGES = join(EXCHANGES_DIR, `${process.pid}.jsonl`);
const TEXTUAL = /^(application\/([\w.+-]*json|xml|x-www-form-urlencoded)|text\/)/i;

/**
 * Records one request and its answer for the response check after the run: method, the concrete
 * path as sent, status, headers and (for textual media types) the body.
 */
export function recordExchange(exchange: {
  method: string;
  path: string;
  status: number;
  headers: Headers | IncomingHttpHeaders;
  body: string | Uint8Array;
  source: string;
}) {
  const headers: Record<string, string> = {};
  if (exchange.headers instanceof Headers) {
    exchange.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
  } else {
    for (const [name, value] of Object.entries(exchange.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  const bytes = typeof exchange.body === "string" ? Buffer.from(exchange.body) : Buffer.from(exchange.body);
  const textual = TEXTUAL.test(headers["content-type"] ?? "") || !headers["content-type"];
  const record = {
    source: exchange.source,
    method: exchange.method.toUpperCase(),
    path: exchange.path,
    status: exchange.status,
    headers,
    bodyBytes: bytes.byteLength,
    ...(textual ? { body: bytes.toString("utf8") } : {}),
  };
  mkdirSync(EXCHANGES_DIR, { recursive: true });
  appendFileSync(EXCHANGES, `${JSON.stringify(record)}\n`);
}

/**
 * The audited phone reveal (revealContact, issue 16) is the one answer meant to carry a raw phone,
 * to staff of the resident's team: the leak scan's copy keeps it masked, every other answer as is.
 */
const DISCLOSES_PHONE = /^\/v1\/residents\/[^/?]+\/contact$/;
const forLeakScan = (method: string, path: string, text: string) =>
  method.toUpperCase() === "POST" && DISCLOSES_PHONE.test(path)
    ? text.replace(/"phone":"(\d{3})\d{4}(\d{4})"/, '"phone":"$1****$2"')
    : text;

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies and assert on their shape
export async function api<T = any>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  let response = await fetch(`${stack().url}${path}`, { method, headers, body: payload });
  // Against a stack with injected AWS faults, a client does what a real one does with a documented
  // retryable answer: wait Retry-After and send the same request again (same Idempotency-Key).
  for (let attempt = 1; stack().faults && response.status === 503 && attempt <= 4; attempt++) {
    const seconds = Number(response.headers.get("retry-after") ?? "1");
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 2) * 250 * attempt));
    response = await fetch(`${stack().url}${path}`, { method, headers, body: payload });
  }
  const text = await response.text();
  appendFileSync(RESPONSES, `${forLeakScan(method, path, text)}\n`);
  recordExchange({
    method,
    path,
    status: response.status,
    headers: response.headers,
    body: text,
    source: "api",
  });
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // non-JSON bodies (CSV, HTML) are returned as text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export async function devLogin(openid: string): Promise<string> {
  const res = await api<{ token: string }>("POST", "/v1/auth/dev-login", { body: { openid } });
  if (res.status !== 200) throw new Error(`dev login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** What wx.login returns in the mini-program, minted by the fake WeChat server. */
export async function wechatCode(openid: string, issuedMsAgo = 0): Promise<string> {
  const res = await fetch(`${stack().wechatUrl}/__fake/login`, {
    method: "POST",
    body: JSON.stringify({ openid, issuedMsAgo }),
  });
  return ((await res.json()) as { code: string }).code;
}

const PROVINCES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62,
];
const randomInt = (n: number) => Math.floor(Math.random() * n);

/** A valid 18-digit ID number (GB 11643) for the birth date and sex; ~10^8 variants, so unique in a run. */
export function idNumberFor(birthDate: string, sex: "male" | "female" = "female"): string {
  const region = `${PROVINCES[randomInt(PROVINCES.length)]}${String(randomInt(10_000)).padStart(4, "0")}`;
  const seq = randomInt(500) * 2 + (sex === "male" ? 1 : 0);
  const first17 = `${region}${birthDate.replaceAll("-", "")}${String(seq).padStart(3, "0")}`;
  return first17 + checkCharacter(first17);
}

export const uniqueOpenid = (label: string) =>
  `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export const randomPhone = () => `13${Math.floor(100_000_000 + Math.random() * 899_999_999)}`;

/** A resident with a saved profile, ready for the capability under test. */
export async function newResident(
  options: { birthDate?: string; sex?: "male" | "female"; declaredGroups?: string[]; name?: string } = {},
) {
  const openid = uniqueOpenid("resident");
  const token = await devLogin(openid);
  const idNumber = idNumberFor(options.birthDate ?? "1980-05-17", options.sex);
  const profile = await api("PUT", "/v1/me/profile", {
    token,
    body: {
      name: options.name ?? "测试居民",
      idType: "resident_id_card",
      idNumber,
      phone: randomPhone(),
      neighbourhoodId: "n_demo_1",
      address: "和平里一区 3 号楼 2 单元 501",
      declaredGroups: options.declaredGroups,
      consents: { privacyPolicyVersion: "2026-01", healthData: true },
    },
  });
  if (profile.status !== 200) throw new Error(`profile failed: ${JSON.stringify(profile.body)}`);
  return { token, openid, idNumber, profile: profile.body, residentId: profile.body.residentId as string };
}

/**
 * Lists read from a secondary index are eventually consistent on AWS and under the twin's stale
 * faults: an item written a moment ago may not be listed yet. A client that just wrote polls until
 * its write shows (the app's pull-to-refresh), and so do the tests. Bounded: after `ms` the last
 * answer is returned for the assertion to fail on.
 */
export async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!until(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/**
 * `eventually` for a read that finds something (a value other than undefined or false), such as
 * what a stream projector or a queue worker makes after the write: throws if it never does.
 */
export async function eventuallyFound<T>(
  read: () => Promise<T | undefined | false>,
  ms = 90_000,
): Promise<T> {
  const value = await eventually(read, (v) => v !== undefined && v !== false, ms);
  if (value === undefined || value === false) throw new Error(`not found within ${ms} ms`);
  return value;
}
