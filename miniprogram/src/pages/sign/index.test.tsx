import Taro from "@tarojs/taro";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import SignPage, { SUBMITTED_TEXT } from "./index";

type RequestOption = Taro.request.Option;
type Handler = (option: RequestOption) => { statusCode: number; data: unknown };

const PROFILE = {
  residentId: "r_self",
  name: "王秀兰",
  idType: "resident_id_card",
  idNumberMasked: "110***********002X",
  phoneMasked: "138****5678",
  birthDate: "1956-03-08",
  sex: "female",
  age: 70,
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

const pkg = (packageId: string, name: string, targetGroups: string[], basic = false, fee = 0) => ({
  packageId,
  centreId: "c1",
  name,
  description: `${name}说明`,
  basic,
  targetGroups,
  items: [{ type: "physical_exam", name: "体检", timesPerYear: 1 }],
  feeFen: fee,
  subsidyFen: fee / 2,
  residentPaysFen: fee / 2,
  validFrom: "2026-01-01",
  validTo: null,
});

const list = (items: unknown[]) => ({ statusCode: 200, data: { items, nextCursor: null } });

function fakeApi(extra: Record<string, Handler> = {}) {
  const routes: Record<string, Handler> = {
    "GET /v1/me": () => ({
      statusCode: 200,
      data: { user: { id: "u1", roles: ["resident"] }, profile: PROFILE, family: [] },
    }),
    "GET /v1/config": () => ({
      statusCode: 200,
      data: { agreementVersion: "2026-01", privacyPolicyVersion: "2026-01", settings: {}, stage: "local" },
    }),
    "GET /v1/centres": () =>
      list([{ centreId: "c1", name: "和平里街道社区卫生服务中心", neighbourhoods: [] }]),
    "GET /v1/centres/c1/teams": () =>
      list([
        {
          teamId: "t1",
          centreId: "c1",
          name: "第一家庭医生团队",
          members: [
            { name: "王建国", role: "doctor" },
            { name: "李秀梅", role: "nurse" },
            { name: "张伟", role: "public_health" },
          ],
          capacityHouseholds: 600,
          signedHouseholds: 10,
          remainingHouseholds: 590,
          signedPersons: 20,
        },
        {
          teamId: "t2",
          centreId: "c1",
          name: "第二家庭医生团队",
          members: [{ name: "刘芳", role: "doctor" }],
          capacityHouseholds: 600,
          signedHouseholds: 600,
          remainingHouseholds: 0,
          signedPersons: 1200,
        },
      ]),
    "GET /v1/centres/c1/packages": () =>
      list([
        pkg("p_basic", "基础服务包（免费）", [], true),
        pkg("p_elderly", "老年人健康包", ["elderly"], false, 10_000),
        pkg("p_child", "儿童保健包（0–6 岁）", ["children"], false, 6_000),
      ]),
    "GET /v1/residents/r_self/contracts": () => list([]),
    ...extra,
  };
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const route = routes[`${option.method ?? "GET"} ${option.url.split("?")[0]}`];
    const res = route
      ? route(option)
      : { statusCode: 404, data: { error: { code: "NOT_FOUND", message: "不存在" } } };
    return Promise.resolve({ ...res, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe("sign page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["resident"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("offers a 70-year-old the elderly package but not the child package; the basic one is fixed", async () => {
    fakeApi();
    render(<SignPage />);
    await screen.findByText("选择服务包");
    expect(document.getElementById("sign-package-p_child")).toBeNull();
    expect(byId("sign-package-p_elderly").textContent).toContain("自付 ¥50.00");
    expect(byId("sign-package-p_basic").textContent).toContain("基础包 · 必选");
    // The full team is shown but cannot be chosen.
    expect(byId("sign-team-t2").textContent).toContain("已满");
    fireEvent.click(byId("sign-team-t2"));
    expect(byId("sign-agreement-team").textContent).toBe("请选择团队");
  });

  it("submits only after the agreement is ticked, then shows the waiting state", async () => {
    const api = fakeApi({
      "POST /v1/contracts": () => ({
        statusCode: 201,
        data: { contractId: "k1", status: "pending", teamName: "第一家庭医生团队" },
      }),
    });
    render(<SignPage />);
    await screen.findByText("选择服务包");
    fireEvent.click(byId("sign-person-r_self"));
    fireEvent.click(byId("sign-team-t1"));
    fireEvent.click(byId("sign-package-p_elderly"));
    expect(byId("sign-agreement-members").textContent).toContain("全科医生 王建国");
    expect(byId("sign-agreement-person").textContent).toContain("王*兰");
    expect(byId("sign-agreement-fee").textContent).toContain("个人自付 ¥50.00");
    expect(byId("sign-agreement-term").textContent).toBe("审核通过之日起一年，到期自动续约");

    // Not ticked: the button is disabled and nothing is sent.
    expect(byId("sign-submit").className).toContain("disabled");
    fireEvent.click(byId("sign-submit"));
    expect(api.mock.calls.some(([o]) => o.method === "POST")).toBe(false);

    fireEvent.click(byId("sign-agree"));
    await waitFor(() => expect(byId("sign-submit").className).not.toContain("disabled"));
    fireEvent.click(byId("sign-submit"));

    expect((await screen.findByText(SUBMITTED_TEXT)).closest("#sign-success")).not.toBeNull();
    const post = api.mock.calls.find(([o]) => o.method === "POST")?.[0];
    expect(post?.data).toEqual({
      residentId: "r_self",
      teamId: "t1",
      packageIds: ["p_basic", "p_elderly"],
      agreementVersion: "2026-01",
      signature: { confirmed: true },
    });
  });

  it("explains a 409 TEAM_FULL in Chinese and asks for another team", async () => {
    fakeApi({
      "POST /v1/contracts": () => ({
        statusCode: 409,
        data: { error: { code: "TEAM_FULL", message: "该团队签约户数已满，请选择其他团队" } },
      }),
    });
    render(<SignPage />);
    await screen.findByText("选择服务包");
    fireEvent.click(byId("sign-team-t1"));
    fireEvent.click(byId("sign-agree"));
    fireEvent.click(byId("sign-submit"));
    const error = await waitFor(() => byId("sign-error"));
    expect(error.textContent).toContain("该团队签约户数已满，请选择其他团队");
    expect(error.dataset.code).toBe("TEAM_FULL");
  });
});
