import { describe, expect, it } from "vitest";
import {
  canResidentCancel,
  clockOf,
  countdown,
  dateStrip,
  eligibleServiceTypes,
  isUpcoming,
  newIdempotencyKey,
  timeRange,
} from "./appointments";

describe("service types a person may book", () => {
  it("offers prenatal checks only to pregnant women and child health only to children 0–6", () => {
    const everyone = ["consultation", "annual_assessment", "chronic_followup", "home_visit", "physical_exam"];
    expect(eligibleServiceTypes(["elderly", "chronic"])).toEqual(everyone);
    expect(eligibleServiceTypes([])).toEqual(everyone);
    expect(eligibleServiceTypes(["pregnant"])).toEqual([...everyone, "prenatal"]);
    expect(eligibleServiceTypes(["children"])).toEqual([...everyone, "child_health"]);
    expect(eligibleServiceTypes(["elderly"])).not.toContain("child_health");
  });
});

describe("the 7-day date strip", () => {
  it("starts today in China time, even when it is still yesterday in UTC", () => {
    // 2026-11-23 17:30 UTC is 2026-11-24 01:30 in Beijing.
    const days = dateStrip(new Date("2026-11-23T17:30:00Z"));
    expect(days).toHaveLength(7);
    expect(days.map((d) => d.date)).toEqual([
      "2026-11-24",
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
    ]);
    expect(days.map((d) => d.label)).toEqual(["今天", "明天", "后天", "周五", "周六", "周日", "周一"]);
    expect(days[0]?.short).toBe("11-24");
  });

  it("crosses month and year ends", () => {
    const days = dateStrip(new Date("2026-12-28T04:00:00+08:00"));
    expect(days[0]?.date).toBe("2026-12-28");
    expect(days[6]?.date).toBe("2027-01-03");
  });
});

describe("times and deadlines", () => {
  it("shows slot times in China time", () => {
    expect(clockOf("2026-11-24T00:00:00.000Z")).toBe("08:00");
    expect(timeRange({ startsAt: "2026-11-24T00:00:00Z", endsAt: "2026-11-24T00:30:00Z" })).toBe(
      "08:00–08:30",
    );
  });

  it("lets the resident cancel until 2 hours before the start", () => {
    const start = "2026-11-24T10:00:00+08:00";
    expect(canResidentCancel(start, new Date("2026-11-24T07:59:59+08:00"))).toBe(true);
    expect(canResidentCancel(start, new Date("2026-11-24T08:00:00+08:00"))).toBe(true);
    expect(canResidentCancel(start, new Date("2026-11-24T08:00:01+08:00"))).toBe(false);
  });

  it("counts down an offer and says when it is gone", () => {
    const now = new Date("2026-11-24T10:00:00+08:00");
    expect(countdown("2026-11-24T10:29:05+08:00", now)).toBe("29:05");
    expect(countdown("2026-11-24T10:00:00+08:00", now)).toBeNull();
  });

  it("puts booked and checked-in visits that are not over under upcoming", () => {
    const now = new Date("2026-11-24T10:00:00+08:00");
    const endsAt = "2026-11-24T10:30:00+08:00";
    expect(isUpcoming({ status: "booked", endsAt }, now)).toBe(true);
    expect(isUpcoming({ status: "checked_in", endsAt }, now)).toBe(true);
    expect(isUpcoming({ status: "cancelled", endsAt }, now)).toBe(false);
    expect(isUpcoming({ status: "booked", endsAt: "2026-11-24T09:30:00+08:00" }, now)).toBe(false);
  });

  it("makes Idempotency-Keys the server accepts, a new one each time", () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
