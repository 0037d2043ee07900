import { stack } from "./api.js";

/** The local SQS stand-in's figures for one queue (`jiayi-notices`, `jiayi-reminders`). */
export async function queueStats(queue: string) {
  const res = await fetch(`${stack().sqsUrl}/__fake/sqs/${queue}/stats`);
  return (await res.json()) as { waiting: number; inFlight: number; delivered: number; dlq: number };
}

/** Waits (bounded) until a local queue has nothing waiting or in flight. */
export async function queueIdle(queue: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await queueStats(queue);
    if (s.waiting === 0 && s.inFlight === 0) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`queue ${queue} did not drain within ${timeoutMs} ms`);
}

/** Puts a message on a local queue as a producer would (SendMessage). */
export const sendToQueue = (queue: string, body: unknown) =>
  fetch(`${stack().sqsUrl}/__fake/sqs/${queue}/messages`, {
    method: "POST",
    body: JSON.stringify(body),
  }).then((r) => r.json() as Promise<{ messageId: string }>);

/** What a local queue parked in its dead-letter queue (after 5 receives). */
export const deadLetters = (queue: string) =>
  fetch(`${stack().sqsUrl}/__fake/sqs/${queue}/dlq`).then(
    (r) => r.json() as Promise<{ messages: { messageId: string; body: string; receives: number }[] }>,
  );
