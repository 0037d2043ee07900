/**
 * The lecture check-in QR code: `jiayi-checkin:<noticeId>:<token>`. The token is the server's
 * per-minute code; the notice id lets the app say "this is another lecture's code" before asking.
 */
const PREFIX = "jiayi-checkin:";

export function checkInQrText(noticeId: string, token: string): string {
  return `${PREFIX}${noticeId}:${token}`;
}

export function parseCheckInQr(text: string): { noticeId: string; token: string } | null {
  const value = text.trim();
  if (!value.startsWith(PREFIX)) return null;
  const [noticeId, token] = value.slice(PREFIX.length).split(":");
  if (!noticeId || !token || !/^[A-Za-z0-9_-]{1,64}$/.test(noticeId)) return null;
  return { noticeId, token };
}

/** Seconds left until `iso`, never below 0. */
export function secondsUntil(iso: string, now: number = Date.now()): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
}
