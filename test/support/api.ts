import { appendFileSync } from "node:fs";
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
  const response = await fetch(`${stack().url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  appendFileSync(RESPONSES, `${text}\n`);
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
  options: { birthDate?: string; sex?: "male" | "female"; declaredGroups?: string[] } = {},
) {
  const token = await devLogin(uniqueOpenid("resident"));
  const idNumber = idNumberFor(options.birthDate ?? "1980-05-17", options.sex);
  const profile = await api("PUT", "/v1/me/profile", {
    token,
    body: {
      name: "测试居民",
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
  return { token, idNumber, profile: profile.body, residentId: profile.body.residentId as string };
}
