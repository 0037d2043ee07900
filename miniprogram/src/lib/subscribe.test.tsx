import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { SubscribeCard } from "../components/SubscribeCard";
import AppointmentsPage from "../pages/appointments/index";
import NoticePage from "../pages/notice/index";
import SignPage from "../pages/sign/index";
import { saveSession } from "../services/session";
import { todayInChina } from "./appointments";
import { resetSubscribeTemplates } from "./subscribe";

/**
 * WeChat shows the subscribe dialog only when requestSubscribeMessage is called synchronously in a
 * tap handler. These tests run the WeChat path (platform mocked to weapp) against Taro's H5 API with
 * `Taro.request` and `Taro.requestSubscribeMessage` stubbed, and record one timeline of calls.
 */
vi.mock("./platform", () => ({ isWeapp: () => true }));

type RequestOption = Taro.request.Option;
type Reply = { statusCode: number; data: unknown };

const TEMPLATES = {
  visitReminder: "tpl-visit-from-config",
  notice: "tpl-notice-from-config",
  contractResult: null,
  survey: null,
};

const today = todayInChina();
const PROFILE = {
  residentId: "r_self",
  name: "李静",
  idType: "resident_id_card",
  idNumberMasked: "110***********002X",
  phoneMasked: "138****5678",
  birthDate: "1960-03-08",
  sex: "female",
  age: 66,
  groups: ["elderly"],
  declaredGroups: [],
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
const list = (items: unknown[]): Reply => ({ statusCode: 200, data: { items, nextCursor: null } });

/** The timeline: "subscribe <ids>" and "<METHOD> <path>" entries in call order. */
let timeline: string[];

function fakeApi(extra: Record<string, (o: RequestOption) => Reply> = {}) {
  const routes: Record<string, (o: RequestOption) => Reply> = {
    "GET /v1/config": () => ({
      statusCode: 200,
      data: {
        agreementVersion: "2026-01",
        privacyPolicyVersion: "2026-01",
        settings: {},
        stage: "local",
        subscribeTemplates: TEMPLATES,
      },
    }),
    "GET /v1/me": () => ({
      statusCode: 200,
      data: { user: { id: "u1", roles: ["resident"] }, profile: PROFILE, family: [] },
    }),
    "GET /v1/residents/r_self/contracts": () =>
      list([{ contractId: "k1", status: "active", teamId: "t1", teamName: "第一家庭医生团队" }]),
    "GET /v1/teams/t1/slots": () =>
      list([
        {
          slotId: "s1",
          teamId: "t1",
          serviceType: "consultation",
          serviceName: "全科门诊",
          date: today,
          startsAt: `${today}T23:00:00+08:00`,
          endsAt: `${today}T23:30:00+08:00`,
          capacity: 5,
          remaining: 3,
          closed: false,
          groups: [],
        },
      ]),
    "POST /v1/appointments": () => ({
      statusCode: 201,
      data: {
        appointmentId: "a1",
        slotId: "s1",
        residentId: "r_self",
        teamId: "t1",
        serviceType: "consultation",
        serviceName: "全科门诊",
        startsAt: `${today}T23:00:00+08:00`,
        endsAt: `${today}T23:30:00+08:00`,
        status: "booked",
      },
    }),
    "POST /v1/me/subscriptions": (o) => {
      const results = (o.data as { results: Record<string, string> }).results;
      return {
        statusCode: 200,
        data: {
          grants: Object.entries(results)
            .filter(([, v]) => v === "accept")
            .map(([templateId]) => ({ templateId, remaining: 1 })),
        },
      };
    },
    ...extra,
  };
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const path = option.url.split("?")[0];
    timeline.push(`${option.method ?? "GET"} ${path}`);
    const route = routes[`${option.method ?? "GET"} ${path}`];
    const res = route
      ? route(option)
      : { statusCode: 404, data: { error: { code: "NOT_FOUND", message: "不存在" } } };
    return Promise.resolve({ ...res, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

/** Stubs WeChat's dialog: answers with `answers` (template id → answer), or fails with `errCode`. */
function fakeSubscribe(answers: Record<string, string> | { errCode: number }) {
  return vi.spyOn(Taro, "requestSubscribeMessage").mockImplementation(((option: { tmplIds: string[] }) => {
    timeline.push(`subscribe ${option.tmplIds.join(",")}`);
    if ("errCode" in answers)
      return Promise.reject({ errCode: answers.errCode, errMsg: "requestSubscribeMessage:fail" });
    return Promise.resolve({ errMsg: "requestSubscribeMessage:ok", ...answers });
  }) as unknown as typeof Taro.requestSubscribeMessage);
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe("WeChat subscribe messages are requested first, synchronously, in the tap", () => {
  beforeEach(() => {
    timeline = [];
    resetSubscribeTemplates();
    saveSession("tok", { id: "u1", roles: ["resident"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("确认预约: asks for the config's templates inside the click, before the booking request", async () => {
    fakeApi();
    const subscribe = fakeSubscribe({
      "tpl-visit-from-config": "accept",
      "tpl-notice-from-config": "reject",
    });
    render(<AppointmentsPage />);
    await waitFor(() => expect(timeline).toContain("GET /v1/config"));
    fireEvent.click(await waitFor(() => byId("slot-s1-book")));
    await waitFor(() => byId("appt-confirm"));
    expect(subscribe).not.toHaveBeenCalled();
    const before = timeline.length;

    fireEvent.click(byId("appt-confirm"));
    // Synchronously, within the click: the dialog was asked for, then (and only then) the booking.
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(timeline.slice(before)).toEqual([
      "subscribe tpl-visit-from-config,tpl-notice-from-config",
      "POST /v1/appointments",
    ]);

    // The answers are recorded with the API and the resident is told what she will get.
    await waitFor(() =>
      expect(byId("appt-subscribe-status").textContent).toContain("您将通过微信收到：就诊提醒"),
    );
    expect(byId("appt-subscribe-status").textContent).toContain("未订阅：健康通知与讲座");
    const record = vi.mocked(Taro.request).mock.calls.find(([o]) => o.url === "/v1/me/subscriptions");
    expect(record?.[0].data).toEqual({
      results: { "tpl-visit-from-config": "accept", "tpl-notice-from-config": "reject" },
    });
    expect(byId("appt-success").textContent).toContain("预约成功");
  });

  it("报名: never asks on opening the notice, asks in the tap before the registration request", async () => {
    vi.spyOn(Taro, "getCurrentInstance").mockReturnValue({
      router: { params: { noticeId: "n1" }, path: "", onReady: "", onHide: "", onShow: "" },
    } as unknown as ReturnType<typeof Taro.getCurrentInstance>);
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    fakeApi({
      "GET /v1/notices/n1": () => ({
        statusCode: 200,
        data: {
          noticeId: "n1",
          kind: "lecture",
          kindName: "健康讲座",
          title: "高血压健康讲座",
          body: "欢迎参加",
          centreId: "c1",
          teamId: null,
          audience: { scope: "centre" },
          publishAt: "2026-11-01T10:00:00+08:00",
          status: "published",
          lecture: { venue: "中心二楼", startsAt, capacity: 30, registered: 0, remaining: 30 },
          read: false,
          registeredResidentIds: [],
        },
      }),
      "POST /v1/notices/n1/read": () => ({ statusCode: 204, data: "" }),
      "POST /v1/notices/n1/registrations": () => ({
        statusCode: 201,
        data: { noticeId: "n1", residentId: "r_self", registeredAt: "2026-11-02T10:00:00+08:00" },
      }),
    });
    const subscribe = fakeSubscribe({ "tpl-notice-from-config": "accept" });
    render(<NoticePage />);
    const button = await waitFor(() => byId("notice-person-r_self-register"));
    await waitFor(() => expect(timeline).toContain("POST /v1/notices/n1/read"));
    await waitFor(() => expect(timeline).toContain("GET /v1/config"));
    // Opening and marking read do not ask (WeChat would refuse outside a tap).
    expect(subscribe).not.toHaveBeenCalled();
    const before = timeline.length;

    fireEvent.click(button);
    expect(timeline.slice(before)).toEqual([
      "subscribe tpl-notice-from-config",
      "POST /v1/notices/n1/registrations",
    ]);
    await waitFor(() =>
      expect(byId("notice-subscribe-status").textContent).toBe("您将通过微信收到：健康通知与讲座"),
    );
  });

  it("订阅提醒: a refusal of WeChat's main switch is shown, not swallowed, and nothing is recorded", async () => {
    fakeApi();
    fakeSubscribe({ errCode: 20004 });
    render(<SubscribeCard />);
    const button = await waitFor(() => byId("subscribe-request"));
    expect(byId("subscribe-offered").textContent).toContain("就诊提醒、健康通知与讲座");
    fireEvent.click(button);
    expect(timeline.at(-1)).toBe("subscribe tpl-visit-from-config,tpl-notice-from-config");
    await waitFor(() => expect(byId("subscribe-status").textContent).toContain("您已关闭小程序的订阅消息"));
    expect(byId("subscribe-status").dataset.status).toBe("failed");
    expect(timeline).not.toContain("POST /v1/me/subscriptions");
  });

  it("订阅提醒: a failed recording tells her pushes will not come", async () => {
    fakeApi({
      "POST /v1/me/subscriptions": () => ({
        statusCode: 503,
        data: { error: { code: "UNAVAILABLE", message: "服务暂时不可用，请稍后再试" } },
      }),
    });
    fakeSubscribe({ "tpl-visit-from-config": "accept", "tpl-notice-from-config": "accept" });
    render(<SubscribeCard />);
    fireEvent.click(await waitFor(() => byId("subscribe-request")));
    await waitFor(() => expect(byId("subscribe-status").textContent).toContain("提醒授权未能保存"));
    expect(byId("subscribe-status").textContent).toContain("将无法收到推送");
  });

  it("确认签约: asks for the review-result template inside the click, before the application", async () => {
    const list = (items: unknown[]): Reply => ({ statusCode: 200, data: { items, nextCursor: null } });
    fakeApi({
      "GET /v1/config": () => ({
        statusCode: 200,
        data: {
          agreementVersion: "2026-01",
          privacyPolicyVersion: "2026-01",
          settings: {},
          stage: "local",
          subscribeTemplates: { ...TEMPLATES, contractResult: "tpl-contract-from-config" },
        },
      }),
      "GET /v1/centres": () =>
        list([{ centreId: "c1", name: "和平里街道社区卫生服务中心", neighbourhoods: [] }]),
      "GET /v1/centres/c1/teams": () =>
        list([
          {
            teamId: "t1",
            centreId: "c1",
            name: "第一家庭医生团队",
            members: [{ name: "王建国", role: "doctor" }],
            capacityHouseholds: 600,
            signedHouseholds: 10,
            remainingHouseholds: 590,
            signedPersons: 20,
          },
        ]),
      "GET /v1/centres/c1/packages": () => list([]),
      "GET /v1/residents/r_self/contracts": () => list([]),
      "POST /v1/contracts": () => ({
        statusCode: 201,
        data: { contractId: "k1", status: "pending", teamId: "t1", teamName: "第一家庭医生团队" },
      }),
    });
    const subscribe = fakeSubscribe({ "tpl-contract-from-config": "accept" });
    render(<SignPage />);
    fireEvent.click(await waitFor(() => byId("sign-person-r_self")));
    fireEvent.click(byId("sign-team-t1"));
    fireEvent.click(byId("sign-agree"));
    await waitFor(() => expect(byId("sign-submit").className).not.toContain("disabled"));
    expect(subscribe).not.toHaveBeenCalled();
    const before = timeline.length;

    fireEvent.click(byId("sign-submit"));
    expect(timeline.slice(before)).toEqual(["subscribe tpl-contract-from-config", "POST /v1/contracts"]);
    await waitFor(() =>
      expect(byId("sign-subscribe-status").textContent).toContain("您将通过微信收到：签约审核结果"),
    );
  });

  it("with no template configured the control says so and never opens the dialog", async () => {
    fakeApi({
      "GET /v1/config": () => ({
        statusCode: 200,
        data: {
          agreementVersion: "2026-01",
          privacyPolicyVersion: "2026-01",
          settings: {},
          stage: "prod",
          subscribeTemplates: { visitReminder: null, notice: null, contractResult: null, survey: null },
        },
      }),
    });
    const subscribe = fakeSubscribe({});
    render(<SubscribeCard />);
    await waitFor(() => expect(byId("subscribe-none").textContent).toContain("暂未开通微信提醒"));
    expect(document.getElementById("subscribe-request")).toBeNull();
    expect(subscribe).not.toHaveBeenCalled();
  });
});
