/** A small HTTP client for the bench: real HTTP to the local gateway, with the round-trip time. */
export interface Reply<T = unknown> {
  status: number;
  body: T;
  ms: number;
}

export function client(base: string) {
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads arbitrary JSON bodies
  return async function call<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // CSV or other text
      }
      return { status: res.status, body: body as T, ms };
    } catch (error) {
      // A timeout or a dropped connection counts as a failure of ours (reported as status 0).
      return { status: 0, body: String(error) as T, ms: performance.now() - t0 };
    }
  };
}

export type Call = ReturnType<typeof client>;
