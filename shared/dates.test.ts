import { describe, expect, it } from "vitest";
import { ageOn, contractEndDate, todayInChina, yearInChina } from "./dates.js";

describe("contractEndDate", () => {
  it("ends the day before the same date a year later", () => {
    // Prepare / Act / Assess
    expect(contractEndDate("2026-11-23")).toBe("2027-11-22");
    expect(contractEndDate("2026-01-01")).toBe("2026-12-31");
    expect(contractEndDate("2026-12-31")).toBe("2027-12-30");
    expect(contractEndDate("2026-03-01")).toBe("2027-02-28");
  });

  it("runs from 29 February to 28 February", () => {
    expect(contractEndDate("2028-02-29")).toBe("2029-02-28");
    expect(contractEndDate("2024-02-29")).toBe("2025-02-28");
  });

  it("ends on 29 February when the next year is a leap year", () => {
    expect(contractEndDate("2027-03-01")).toBe("2028-02-29");
    expect(contractEndDate("2027-02-28")).toBe("2028-02-27");
  });
});

describe("ageOn", () => {
  it("counts a year only from the birthday itself", () => {
    // Prepare
    const birth = "1961-11-23";
    // Act
    const dayBefore = ageOn(birth, "2026-11-22");
    const birthday = ageOn(birth, "2026-11-23");
    const dayAfter = ageOn(birth, "2026-11-24");
    // Assess
    expect([dayBefore, birthday, dayAfter]).toEqual([64, 65, 65]);
  });

  it("compares months before days (a later day in an earlier month is still before the birthday)", () => {
    expect(ageOn("1990-06-15", "2026-05-31")).toBe(35);
    expect(ageOn("1990-06-15", "2026-07-01")).toBe(36);
    expect(ageOn("1990-12-31", "2026-01-01")).toBe(35);
  });

  it("is 0 on the day of birth and during the first year", () => {
    expect(ageOn("2026-11-23", "2026-11-23")).toBe(0);
    expect(ageOn("2025-11-24", "2026-11-23")).toBe(0);
    expect(ageOn("2025-11-23", "2026-11-23")).toBe(1);
  });

  it("turns a 29 February birthday over on 1 March in common years", () => {
    expect(ageOn("2000-02-29", "2001-02-28")).toBe(0);
    expect(ageOn("2000-02-29", "2001-03-01")).toBe(1);
    expect(ageOn("2000-02-29", "2004-02-29")).toBe(4);
  });
});

describe("todayInChina", () => {
  it("is already the next day in Shanghai at 16:30 UTC", () => {
    // Prepare
    const now = new Date("2026-11-22T16:30:00Z");
    // Act
    const today = todayInChina(now);
    // Assess
    expect(today).toBe("2026-11-23");
  });

  it("changes date exactly at 16:00 UTC (midnight in China, no daylight saving)", () => {
    expect(todayInChina(new Date("2026-11-22T15:59:59.999Z"))).toBe("2026-11-22");
    expect(todayInChina(new Date("2026-11-22T16:00:00Z"))).toBe("2026-11-23");
    expect(todayInChina(new Date("2026-07-01T15:59:59Z"))).toBe("2026-07-01");
    expect(todayInChina(new Date("2026-07-01T16:00:00Z"))).toBe("2026-07-02");
    expect(todayInChina(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01-01");
  });
});

describe("yearInChina", () => {
  it("turns the year at Shanghai's midnight, eight hours before UTC's", () => {
    expect(yearInChina(new Date("2026-12-31T15:59:59Z"))).toBe("2026");
    expect(yearInChina(new Date("2026-12-31T16:30:00Z"))).toBe("2027");
  });
});
