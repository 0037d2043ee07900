import { describe, expect, it, vi } from "vitest";

vi.mock("./secrets.js", () => ({ keyFor: async () => Buffer.alloc(32, 7) }));

const { checkInTokenValid, issueCheckInToken } = await import("./check-in-token.js");

describe("lecture check-in codes", () => {
  const t0 = new Date("2026-12-01T08:00:10.000Z");
  const later = (ms: number) => new Date(t0.getTime() + ms);

  it("are good in their minute and the next, and never after", async () => {
    const { token, rotatesAt, expiresAt } = await issueCheckInToken("n_1", t0);
    expect(rotatesAt).toBe("2026-12-01T08:01:00.000Z");
    expect(expiresAt).toBe("2026-12-01T08:02:00.000Z");
    expect(await checkInTokenValid("n_1", token, t0)).toBe(true);
    expect(await checkInTokenValid("n_1", token, later(109_000))).toBe(true);
    expect(await checkInTokenValid("n_1", token, later(110_000))).toBe(false);
    // a code of the future (a clock set ahead) is refused too
    expect(await checkInTokenValid("n_1", token, later(-60_000))).toBe(false);
  });

  it("are bound to one lecture and cannot be altered", async () => {
    const { token } = await issueCheckInToken("n_1", t0);
    expect(await checkInTokenValid("n_2", token, t0)).toBe(false);
    const [window, mac] = token.split(".") as [string, string];
    expect(await checkInTokenValid("n_1", `${Number(window) + 1}.${mac}`, later(60_000))).toBe(false);
    expect(await checkInTokenValid("n_1", "garbage", t0)).toBe(false);
  });
});
