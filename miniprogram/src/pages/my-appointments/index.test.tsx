import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import MyAppointmentsPage from "./index";

type RequestOption = Taro.request.Option;

const HOUR = 3600 * 1000;
const appointment = (appointmentId: string, startsInHours: number, status = "booked") => {
  const start = new Date(Date.now() + startsInHours * HOUR);
  return {
    appointmentId,
    slotId: `s_${appointmentId}`,
    residentId: "r_self",
    residentName: "王秀兰",
    teamId: "t1",
    serviceType: "consultation",
    serviceName: "全科门诊",
    date: new Date(start.getTime() + 8 * HOUR).toISOString().slice(0, 10),
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 0.5 * HOUR).toISOString(),
    status,
    statusName: status === "booked" ? "已预约" : "已取消",
    note: null,
    cancellation: null,
    createdAt: new Date().toISOString(),
  };
};

function fakeApi(posts: RequestOption[]) {
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const path = option.url.split("?")[0];
    let data: unknown = { items: [], nextCursor: null };
    if (path === "/v1/me") data = { user: { id: "u1", roles: ["resident"] }, profile: null, family: [] };
    if (path === "/v1/me/appointments")
      data = { items: [appointment("a_soon", 1), appointment("a_later", 26)], nextCursor: null };
    if (path === "/v1/me/waitlist-offers")
      data = {
        items: [
          {
            offerId: "o1",
            slotId: "s9",
            residentId: "r_self",
            expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
            status: "open",
          },
        ],
        nextCursor: null,
      };
    if (option.method === "POST") {
      posts.push(option);
      data = {
        ...appointment("a_later", 26, "cancelled"),
        cancellation: { by: "resident", reason: "时间冲突", at: new Date().toISOString() },
      };
    }
    return Promise.resolve({ statusCode: 200, data, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe("my appointments page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["resident"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("disables cancelling within 2 hours and cancels a later visit with a reason", async () => {
    const posts: RequestOption[] = [];
    fakeApi(posts);
    render(<MyAppointmentsPage />);
    await waitFor(() => byId("mine-a_soon"));
    expect(byId("mine-a_soon-status").textContent).toBe("已预约");
    expect(byId("mine-a_soon-cancel").className).toContain("disabled");
    expect(byId("mine-a_soon-cancel-late").textContent).toContain("2 小时内不能在线取消");
    expect(document.getElementById("mine-a_later-cancel-late")).toBeNull();
    // A waitlist offer counts down to its deadline.
    expect(byId("offer-o1-countdown").textContent).toMatch(/^剩余 (09|10):\d\d$/);

    fireEvent.click(byId("mine-a_later-cancel"));
    fireEvent.click(byId("mine-a_later-cancel-submit"));
    expect(byId("mine-a_later-cancel-reason-error").textContent).toBe("请选择取消原因");
    fireEvent.click(byId("mine-a_later-cancel-reason-conflict"));
    fireEvent.click(byId("mine-a_later-cancel-submit"));
    await waitFor(() => expect(byId("mine-a_later-status").textContent).toBe("已取消"));
    expect(posts[0]?.url).toBe("/v1/appointments/a_later/cancel");
    expect(posts[0]?.data).toEqual({ reason: "时间冲突" });
    expect(byId("mine-past").contains(byId("mine-a_later"))).toBe(true);
  });
});
