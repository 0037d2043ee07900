import { api, stack } from "./api.js";
import { queueIdle as waitForQueue } from "./queues.js";

export const noticeBody = (audience: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  kind: "seasonal",
  title: "流感疫苗接种提醒",
  body: "秋冬季流感高发，请 65 岁以上老人尽早接种流感疫苗。",
  audience,
  ...extra,
});

/** Waits (bounded) until the notice's fan-out has delivered `count` copies. */
export async function delivered(noticeId: string, token: string, count: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, number> = {};
  while (Date.now() < deadline) {
    last = (await api("GET", `/v1/notices/${noticeId}/stats`, { token })).body;
    if ((last.delivered ?? 0) >= count) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`notice ${noticeId} delivered ${last.delivered} of ${count} within ${timeoutMs} ms`);
}

/**
 * Waits (bounded) until the notice is published (every page of its audience done) and returns
 * its stats, whose audienceSize is then the exact count.
 */
export async function published(noticeId: string, token: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let status = "";
  while (Date.now() < deadline) {
    status = (await api("GET", `/v1/notices/${noticeId}`, { token })).body.status;
    if (status === "published") return (await api("GET", `/v1/notices/${noticeId}/stats`, { token })).body;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`notice ${noticeId} still ${status} after ${timeoutMs} ms`);
}

/** Waits (bounded) until the local fan-out queue has nothing waiting or in flight. */
export const queueIdle = (timeoutMs = 30_000) => waitForQueue("jiayi-notices", timeoutMs);

export const sqsControl = (path: string, body?: unknown) =>
  fetch(`${stack().sqsUrl}/__fake/sqs/jiayi-notices/${path}`, {
    method: body === undefined ? "GET" : "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((r) => r.json() as Promise<Record<string, unknown>>);

export async function inbox(token: string) {
  return (await api("GET", "/v1/me/notices?limit=100", { token })).body;
}
