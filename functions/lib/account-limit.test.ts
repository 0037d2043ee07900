import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ACCOUNT_LIMITS, LIMIT_WINDOW_SECONDS } from "../domain/throttling.js";
import { routes } from "../routes.js";
import { accountLimits, TooManyRequests, type WindowStore, windowAt } from "./account-limit.js";
import { ApiError } from "./errors.js";
import { logger } from "./logger.js";
import type { RouteDef } from "./route.js";

// A unit test: the keyed hash of an address uses a stub key instead of Secrets Manager.
vi.mock("./secrets.js", () => ({ keyFor: async () => Buffer.alloc(32, 7) }));

afterEach(() => {
  vi.restoreAllMocks();
});

const MINUTE = 60_000;

describe("windowAt (fixed one-minute windows)", () => {
  it("numbers windows from the epoch and frees each at the next whole minute", () => {
    // Prepare
    const start = 29_000_000 * MINUTE;

    // Act
    const first = windowAt(start);
    const middle = windowAt(start + 20_500);
    const last = windowAt(start + MINUTE - 1);
    const next = windowAt(start + MINUTE);

    // Assess
    expect(first).toEqual({
      index: 29_000_000,
      endsAtMs: start + MINUTE,
      retryAfterSeconds: 60,
      expiresAt: (start + MINUTE) / 1000 + 60,
    });
    expect(middle.index).toBe(first.index);
    expect(middle.retryAfterSeconds).toBe(40); // 39.5 s left, rounded up
    expect(last.index).toBe(first.index);
    expect(last.retryAfterSeconds).toBe(1); // never 0, even 1 ms before the window frees
    expect(next.index).toBe(first.index + 1);
    expect(next.retryAfterSeconds).toBe(60);
  });

  it("keeps every window's item for one more window after it ends (TTL, in epoch seconds)", () => {
    for (const now of [0, 1, 59_999, 60_000, Date.UTC(2026, 0, 1, 0, 0, 30)]) {
      const w = windowAt(now);
      expect(Number.isInteger(w.expiresAt)).toBe(true);
      expect(w.expiresAt * 1000).toBe(w.endsAtMs + LIMIT_WINDOW_SECONDS * 1000);
      expect(w.endsAtMs - now).toBeGreaterThan(0);
      expect(w.endsAtMs - now).toBeLessThanOrEqual(MINUTE);
      expect(w.retryAfterSeconds).toBe(Math.ceil((w.endsAtMs - now) / 1000));
    }
  });
});

// ---------------------------------------------------------------------------------------------

const route = (over: Partial<RouteDef>): RouteDef => ({
  operationId: "bookAppointment",
  method: "POST",
  path: "/v1/appointments",
  summary: "test",
  auth: "user",
  status: 201,
  response: null,
  data: "readwrite",
  accountLimit: { group: "booking", perMinute: 3 },
  ...over,
});

const event = (sourceIp = "203.0.113.9") =>
  ({ headers: {}, requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

/** A store shared by every "instance" of the middleware, as the DynamoDB table is. */
function memoryStore() {
  const counts = new Map<string, number>();
  const seen: string[] = [];
  const store: WindowStore = async (w, limit) => {
    const key = `${w.subject}|${w.group}|${w.index}`;
    seen.push(key);
    const n = counts.get(key) ?? 0;
    if (n >= limit) return false;
    counts.set(key, n + 1);
    return true;
  };
  return { store, seen };
}

async function run(mw: ReturnType<typeof accountLimits>, e = event()) {
  try {
    await mw.before?.({
      event: e,
      context: {},
      response: undefined,
      error: undefined,
      internal: {},
    } as never);
    return "passed";
  } catch (error) {
    return error;
  }
}

describe("accountLimits middleware", () => {
  it("lets an account through perMinute times a window across instances, then answers 429 with Retry-After", async () => {
    // Prepare: two "containers" sharing one store
    const { store } = memoryStore();
    const identify = async () => ({ userId: "u1", roles: [] });
    const a = accountLimits(route({}), identify, store);
    const b = accountLimits(route({}), identify, store);

    // Act
    const results = [await run(a), await run(b), await run(a), await run(b)];
    const other = await run(accountLimits(route({}), async () => ({ userId: "u2", roles: [] }), store));

    // Assess
    expect(results.slice(0, 3)).toEqual(["passed", "passed", "passed"]);
    const refused = results[3];
    expect(refused).toBeInstanceOf(TooManyRequests);
    const error = refused as TooManyRequests;
    expect(error.status).toBe(429);
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toMatch(/请求过于频繁/);
    expect(error.headers?.["retry-after"]).toBe(String(error.retryAfterSeconds));
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(other).toBe("passed");
  });

  it("authenticates first: a 401 or 403 is thrown as it is and counts nothing", async () => {
    // Prepare
    const { store, seen } = memoryStore();
    const denied = new ApiError(401, "UNAUTHENTICATED", "请先登录");

    // Act
    const result = await run(
      accountLimits(
        route({}),
        async () => {
          throw denied;
        },
        store,
      ),
    );

    // Assess
    expect(result).toBe(denied);
    expect(seen).toEqual([]);
  });

  it("counts a public route per source address, under a keyed hash rather than the address", async () => {
    // Prepare
    const { store, seen } = memoryStore();
    const login = accountLimits(
      route({ operationId: "wechatLogin", auth: "public", accountLimit: { group: "login", perMinute: 1 } }),
      async () => {
        throw new Error("public routes never authenticate");
      },
      store,
    );

    // Act
    const first = await run(login, event("198.51.100.7"));
    const second = await run(login, event("198.51.100.7"));
    const elsewhere = await run(login, event("198.51.100.8"));

    // Assess
    expect(first).toBe("passed");
    expect(second).toBeInstanceOf(TooManyRequests);
    expect(elsewhere).toBe("passed");
    expect(seen.every((k) => /^ADDR#[\w-]{43}\|login\|\d+$/.test(k))).toBe(true);
    expect(seen.join()).not.toContain("198.51.100");
  });

  it("fails open with a warning naming only the group when its own DynamoDB call fails", async () => {
    // Prepare
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    const throttled: WindowStore = async () => {
      throw Object.assign(new Error("Rate of requests exceeds the allowed throughput"), {
        name: "ThrottlingException",
      });
    };
    const slow: WindowStore = (_w, _limit, signal) =>
      new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
    const identify = async () => ({ userId: "u-secret-id", roles: [] });

    // Act
    const results = [
      await run(accountLimits(route({}), identify, throttled)),
      await run(accountLimits(route({}), identify, slow)),
    ];

    // Assess
    expect(results).toEqual(["passed", "passed"]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[1]).toEqual({ limitGroup: "booking", errorName: "ThrottlingException" });
    expect(warn.mock.calls[1]?.[1]).toEqual({ limitGroup: "booking", errorName: "TimeoutError" });
    expect(JSON.stringify(warn.mock.calls)).not.toContain("u-secret-id");
  });

  it("does nothing on a route without a limit", async () => {
    const { store, seen } = memoryStore();
    const result = await run(accountLimits(route({ accountLimit: undefined }), async () => undefined, store));
    expect(result).toBe("passed");
    expect(seen).toEqual([]);
  });
});

describe("the route table's per-account limits", () => {
  const table: readonly RouteDef[] = routes;
  const limited = table.filter((r) => r.accountLimit);

  it("cover login, booking, publishing, survey answers and profile and family changes", () => {
    const byGroup = (group: string) =>
      limited.filter((r) => r.accountLimit?.group === group).map((r) => r.operationId);
    expect(byGroup("login")).toEqual(["wechatLogin"]);
    expect(byGroup("dev-login")).toEqual(["devLogin"]);
    expect(byGroup("booking").sort()).toEqual(["acceptWaitlistOffer", "bookAppointment", "joinWaitlist"]);
    expect(byGroup("publishing")).toEqual(["publishNotice"]);
    expect(byGroup("survey")).toEqual(["submitSurveyResponse"]);
    expect(byGroup("profile").sort()).toEqual(["addFamilyMember", "updateFamilyMember", "updateMyProfile"]);
  });

  it("come from the sizing module, and the routes that count may write (the limiter's UpdateItem)", () => {
    const sized = new Set<object>(Object.values(ACCOUNT_LIMITS));
    for (const r of limited) {
      expect(sized.has(r.accountLimit as object), r.operationId).toBe(true);
      expect(r.data, r.operationId).toBe("readwrite");
    }
  });
});
