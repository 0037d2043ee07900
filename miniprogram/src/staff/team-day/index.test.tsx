import Taro from "@tarojs/taro";
import { render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import TeamDayPage, { visitActions } from "./index";

type RequestOption = Taro.request.Option;

describe("team day", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u_doc", roles: ["doctor"] });
  });

  it("allows a no-show only after the start and visits from 60 minutes before", () => {
    const a = { status: "booked" as const, startsAt: "2026-11-24T09:00:00+08:00", date: "2026-11-24" };
    const early = visitActions(a, new Date("2026-11-24T07:30:00+08:00"));
    expect(early).toMatchObject({ windowOpen: false, started: false });
    const before = visitActions(a, new Date("2026-11-24T08:30:00+08:00"));
    expect(before).toMatchObject({ checkIn: true, windowOpen: true, started: false });
    const after = visitActions(a, new Date("2026-11-24T09:01:00+08:00"));
    expect(after).toMatchObject({ noShow: true, started: true });
    expect(visitActions({ ...a, status: "checked_in" }, new Date())).toMatchObject({
      checkIn: false,
      complete: true,
      noShow: false,
    });
  });

  it("lists the day's appointments in time order with disabled no-show before the start", async () => {
    const later = new Date(Date.now() + 3 * 3600 * 1000);
    const day = new Date(later.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
    const item = (appointmentId: string, startsAt: Date) => ({
      appointmentId,
      slotId: "s1",
      residentId: "r1",
      residentName: appointmentId === "a2" ? "李雷" : "王秀兰",
      teamId: "t1",
      serviceType: "consultation",
      serviceName: "全科门诊",
      date: day,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 1800_000).toISOString(),
      status: "booked",
      statusName: "已预约",
      note: null,
      cancellation: null,
      createdAt: new Date().toISOString(),
    });
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const path = option.url.split("?")[0];
      let data: unknown = { items: [], nextCursor: null };
      if (path === "/v1/me")
        data = { user: { id: "u_doc", roles: ["doctor"], teamId: "t1" }, profile: null, family: [] };
      if (path === "/v1/teams/t1/appointments")
        data = {
          items: [item("a2", new Date(later.getTime() + 1800_000)), item("a1", later)],
          nextCursor: null,
        };
      return Promise.resolve({ statusCode: 200, data, header: {}, errMsg: "request:ok" });
    }) as unknown as typeof Taro.request);
    render(<TeamDayPage />);
    await waitFor(() => expect(document.getElementById("team-day-a1")).not.toBeNull());
    const cards = [...document.querySelectorAll("[id^='team-day-a']")].filter((el) =>
      /^team-day-a\d$/.test(el.id),
    );
    expect(cards.map((el) => el.id)).toEqual(["team-day-a1", "team-day-a2"]);
    expect(document.getElementById("team-day-a1-noshow")?.className).toContain("disabled");
    expect(document.getElementById("team-day-summary")?.textContent).toContain("共 2 个预约");
    expect(api.mock.calls.some(([o]) => o.url.startsWith("/v1/teams/t1/appointments?date="))).toBe(true);
  });
});
