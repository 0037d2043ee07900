import { createHmac, timingSafeEqual } from "node:crypto";
import { keyFor } from "./secrets.js";

/**
 * Lecture check-in codes: `<minute>.<mac>`, where the MAC (HMAC-SHA256 with the check-in key) binds
 * the code to one lecture and one minute. Nothing is stored: the server recomputes it. A code is
 * good in its own minute and the next one, so a scan just before the screen rotates still counts,
 * and a photo sent home stops working within two minutes.
 */
export const CHECK_IN_WINDOW_MS = 60_000;
const VALID_WINDOWS = 2;

const windowOf = (at: Date) => Math.floor(at.getTime() / CHECK_IN_WINDOW_MS);

async function mac(noticeId: string, window: number): Promise<string> {
  const key = await keyFor("check-in");
  return createHmac("sha256", key).update(`lecture:${noticeId}:${window}`).digest("base64url").slice(0, 22);
}

export async function issueCheckInToken(noticeId: string, now = new Date()) {
  const window = windowOf(now);
  return {
    noticeId,
    token: `${window}.${await mac(noticeId, window)}`,
    rotatesAt: new Date((window + 1) * CHECK_IN_WINDOW_MS).toISOString(),
    expiresAt: new Date((window + VALID_WINDOWS) * CHECK_IN_WINDOW_MS).toISOString(),
  };
}

export async function checkInTokenValid(noticeId: string, token: string, now = new Date()): Promise<boolean> {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
  if (!match) return false;
  const window = Number(match[1]);
  const current = windowOf(now);
  if (window > current || window <= current - VALID_WINDOWS) return false;
  const expected = Buffer.from(await mac(noticeId, window));
  const given = Buffer.from(match[2] as string);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
