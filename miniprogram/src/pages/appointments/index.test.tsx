import Taro from "@tarojs/taro";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { addDays, todayInChina } from "../../lib/appointments";
import { saveSession } from "../../services/session";
import AppointmentsPage from "./index";

type RequestOption = Taro.request.Option;
type Handler = (option: RequestOption) => { statusCode: number; data: unknown } | "network-error";

const person = (residentId: string, name: string, groups: string[]) => ({
  residentId,
  name,
  idType: "resident_id_card",
  idNumberMasked: "110***********002X",
  phoneMasked: "138****5678",
  birthDate: "1994-03-08",
  sex: "female",
  age: 32,
  groups,
  declaredGroups: groups,
});

const PROFILE = {
  ...person("r_self", "李静", ["pregnant"]),
  neighbourhoodId: "n1",
  centreId: "c1",
  address: "幸福里小区3号楼2单元501",
  consents: {
    privacyPolicyVersion: "2026-01",
    privacyAcceptedAt: "2026-11-01T10:00:00+08:00",
    healthData: true,
    healthDataAcceptedAt: "2026-11-01T10:00:00+08:00",
  },
};
const MOTHER = {
  ...person("r_mum", "王秀兰", ["elderly"]),
  relation: "parent",
  consentRecordedAt: "2026-11-01T10:00:00+08:00",
};

const list = (items: unknown[]) => ({ statusCode: 200, data: { items, nextCursor: null } });
const today = todayInChina();
const slot = (slotId: string, remaining: number) => ({
  slotId,
  teamId: "t1",
  serviceType: "consultation",
  serviceName: "全科门诊",
  date: today,
  startsAt: `${today}T23:00:00+08:00`,
  endsAt: `${today}T23:30:00+08:00`,
  capacity: 5,
  remaining,
  closed: false,
  groups: [],
});

function fakeApi(extra: Record<string, Handler> = {}) {
  const routes: Record<string, Handler> = {
    "GET /v1/me": () => ({
      statusCode: 200,
      data: { user: { id: "u1", roles: ["resident"] }, profile: PROFILE, family: [MOTHER] },
    }),
    "GET /v1/residents/r_self/contracts": () =>
      list([{ contractId: "k1", status: "active", teamId: "t1", teamName: "第一家庭医生团队" }]),
    "GET /v1/residents/r_mum/contracts": () => list([]),
    "GET /v1/teams/t1/slots": () => list([slot("s_open", 3), slot("s_full", 0)]),
    ...extra,
  };
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const route = routes[`${option.method ?? "GET"} ${option.url.split("?")[0]}`];
    const res = route
      ? route(option)
      : { statusCode: 404, data: { error: { code: "NOT_FOUND", message: "不存在" } } };
    if (res === "network-error") return Promise.reject(new Error("Failed to fetch"));
    return Promise.resolve({ ...res, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe("appointments page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["resident"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("offers only signed people, the types they may book, and 7 days from today", async () => {
    const api = fakeApi();
    render(<AppointmentsPage />);
    await waitFor(() => byId("slot-s_open"));
    // The unsigned mother is shown with 请先签约 and a link to sign, and cannot be chosen.
    expect(byId("appt-person-r_mum-unsigned").textContent).toContain("请先签约");
    expect(byId("appt-person-r_mum").className).toContain("choice--disabled");
    // The pregnant resident may book prenatal checks, not child health.
    expect(document.getElementById("appt-type-prenatal")).not.toBeNull();
    expect(document.getElementById("appt-type-child_health")).toBeNull();
    // Today and the six days after it.
    const days = [...byId("appt-date").children].map((el) => (el as HTMLElement).dataset.date);
    expect(days).toEqual(Array.from({ length: 7 }, (_, i) => addDays(today, i)));
    expect(byId(`appt-date-${today}`).textContent).toContain("今天");
    // Slots are asked for the chosen day, team and type.
    const url = api.mock.calls.map(([o]) => o.url).find((u) => u.startsWith("/v1/teams/t1/slots"));
    expect(url).toContain(`from=${today}&to=${today}&serviceType=consultation`);

    fireEvent.click(byId("appt-type-prenatal"));
    await waitFor(() =>
      expect(api.mock.calls.some(([o]) => o.url.includes("serviceType=prenatal"))).toBe(true),
    );
  });

  it("confirms a booking and retries a lost answer with the same Idempotency-Key", async () => {
    let calls = 0;
    const api = fakeApi({
      "POST /v1/appointments": () => {
        calls++;
        if (calls === 1) return "network-error";
        return {
          statusCode: 201,
          data: { ...slot("s_open", 2), appointmentId: "a1", residentId: "r_self", status: "booked" },
        };
      },
    });
    render(<AppointmentsPage />);
    fireEvent.click(await waitFor(() => byId("slot-s_open-book")));
    expect(byId("appt-sheet-who").textContent).toBe("李静（本人）");
    expect(byId("appt-sheet-what").textContent).toBe("全科门诊");
    expect(byId("appt-sheet-when").textContent).toContain("23:00–23:30");
    expect(byId("appt-sheet-team").textContent).toBe("第一家庭医生团队");

    fireEvent.click(byId("appt-confirm"));
    await waitFor(() => expect(byId("appt-error").dataset.code).toBe("NETWORK_ERROR"));
    expect(byId("appt-confirm").textContent).toContain("重试");
    fireEvent.click(byId("appt-confirm"));
    expect(await screen.findByText("预约成功")).toBeTruthy();

    const posts = api.mock.calls.map(([o]) => o).filter((o) => o.method === "POST");
    expect(posts).toHaveLength(2);
    const keys = posts.map((o) => (o.header as Record<string, string>)["Idempotency-Key"]);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(posts[0]?.data).toEqual({ slotId: "s_open", residentId: "r_self" });
  });

  it("joins the waitlist of a full slot and shows the position", async () => {
    const api = fakeApi({
      "POST /v1/slots/s_full/waitlist": () => ({
        statusCode: 201,
        data: {
          slotId: "s_full",
          residentId: "r_self",
          position: 3,
          priority: true,
          joinedAt: "2026-11-24T01:00:00Z",
        },
      }),
    });
    render(<AppointmentsPage />);
    fireEvent.click(await waitFor(() => byId("slot-s_full-waitlist")));
    await waitFor(() => expect(byId("slot-s_full-waiting").textContent).toBe("已候补，第 3 位"));
    const post = api.mock.calls.find(([o]) => o.method === "POST")?.[0];
    expect(post?.data).toEqual({ residentId: "r_self" });
  });
});
