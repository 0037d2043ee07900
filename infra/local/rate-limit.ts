/**
 * Token buckets for the local gateway: the deployed API throttles routes in API Gateway; locally the
 * same route limits apply per account, so one client's burst gets 429s and nobody else's does.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** True when the request may pass; each call takes one token. */
  take(key: string, limit: { rate: number; burst: number }, now = Date.now()): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.rate);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }
}

/** The account a request speaks for, read (not verified) from its bearer token; else its address. */
export function callerKey(authorization: string | undefined, address: string): string {
  const payload = /^Bearer\s+[^.]+\.([^.]+)\./i.exec(authorization ?? "")?.[1];
  if (payload) {
    try {
      const sub = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown }).sub;
      if (typeof sub === "string") return `user:${sub}`;
    } catch {
      // not a JWT: fall back to the address
    }
  }
  return `ip:${address}`;
}
