/**
 * Token buckets for the local gateway, as API Gateway throttles a route: one bucket per route,
 * shared by every caller (steady rate per second, burst capacity).
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
