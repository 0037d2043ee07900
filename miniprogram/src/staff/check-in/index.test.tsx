import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import CheckInPage from "./index";

type RequestOption = Taro.request.Option;

const NOTICE = {
  noticeId: "n1",
  kind: "lecture",
  title: "控糖讲座",
  body: "…",
  status: "published",
  publishAt: "2026-12-01T01:00:00.000Z",
  lecture: { venue: "中心三楼", startsAt: "2026-12-01T06:00:00.000Z", capacity: 20, remaining: 18 },
};

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe("staff lecture check-in screen (issue 14, item 3)", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["doctor"] });
    vi.spyOn(Taro, "getCurrentInstance").mockReturnValue({
      router: { params: { noticeId: "n1" }, path: "/staff/check-in/index" },
    } as unknown as ReturnType<typeof Taro.getCurrentInstance>);
  });

  it("shows a QR code that changes when the server rotates it, and ticks a name from the list", async () => {
    // Prepare
    let issued = 0;
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const key = `${option.method ?? "GET"} ${option.url}`;
      let data: unknown;
      if (key === "GET /v1/notices/n1") data = NOTICE;
      else if (key === "GET /v1/notices/n1/registrations")
        data = {
          items: [
            {
              residentId: "r1",
              residentName: "李秀英",
              registeredAt: "2026-11-30T01:00:00.000Z",
              attendedAt: null,
            },
            {
              residentId: "r2",
              residentName: "王桂兰",
              registeredAt: "2026-11-30T01:00:00.000Z",
              attendedAt: null,
            },
          ],
          nextCursor: null,
        };
      else if (key === "POST /v1/notices/n1/check-in-token") {
        issued++;
        data = {
          noticeId: "n1",
          token: `2900000${issued}.tokentokentokentoken${issued}x`,
          rotatesAt: new Date(Date.now() + 300).toISOString(),
          expiresAt: new Date(Date.now() + 60_300).toISOString(),
        };
      } else if (key === "POST /v1/notices/n1/attendance")
        data = {
          noticeId: "n1",
          residentId: "r1",
          registeredAt: "2026-11-30T01:00:00.000Z",
          attendedAt: "2026-12-01T06:05:00.000Z",
        };
      return Promise.resolve({
        statusCode: data ? 200 : 404,
        data: data ?? { error: { code: "NOT_FOUND", message: "不存在" } },
        header: {},
        errMsg: "request:ok",
      });
    }) as unknown as typeof Taro.request);
    render(<CheckInPage />);

    // Assess 1: a code bound to the lecture, then a new one after the rotation
    await waitFor(() => expect(document.getElementById("check-in-qr")).not.toBeNull());
    const first = byId("check-in-rotates").dataset.token;
    expect(first).toContain(".");
    await waitFor(() => expect(byId("check-in-rotates").dataset.token).not.toBe(first), { timeout: 4_000 });
    expect(byId("check-in-count").textContent).toBe("已签到 0 / 报名 2");

    // Act: tick 李秀英
    fireEvent.click(byId("check-in-r1-tick"));
    // Assess 2
    await waitFor(() => expect(byId("check-in-r1-done").textContent).toBe("已签到 14:05"));
    expect(byId("check-in-count").dataset.attended).toBe("1");
    const tick = api.mock.calls.find(([o]) => o.url === "/v1/notices/n1/attendance")?.[0];
    expect(tick?.data).toEqual({ residentId: "r1" });
    expect(document.getElementById("check-in-r2-tick")).not.toBeNull();
  });
});
