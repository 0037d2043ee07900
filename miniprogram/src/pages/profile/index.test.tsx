import Taro from "@tarojs/taro";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveConsent, saveSession } from "../../services/session";
import ProfilePage from "./index";

type RequestOption = Taro.request.Option;

const CENTRES = {
  items: [
    {
      centreId: "c1",
      name: "幸福街道社区卫生服务中心",
      neighbourhoods: [
        { neighbourhoodId: "n1", name: "幸福里社区" },
        { neighbourhoodId: "n2", name: "和平路社区" },
      ],
    },
  ],
  nextCursor: null,
};

const ME_WITHOUT_PROFILE = { user: { id: "u1", roles: ["resident"] }, profile: null, family: [] };

/** A fake API behind Taro.request: answers by method and path, records every call. */
function fakeApi(routes: Record<string, (option: RequestOption) => { statusCode: number; data: unknown }>) {
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const key = `${option.method ?? "GET"} ${option.url.split("?")[0]}`;
    const route = routes[key];
    const res = route
      ? route(option)
      : { statusCode: 404, data: { error: { code: "NOT_FOUND", message: "不存在" } } };
    return Promise.resolve({ ...res, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

function input(id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`#${id} is not an <input>`);
  return el;
}

function type(id: string, value: string) {
  fireEvent.input(input(id), { target: { value } });
}

function click(id: string) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  fireEvent.click(el);
}

async function fillValidForm(idNumber: string) {
  await screen.findByText("完善个人信息");
  type("profile-name", "王秀兰");
  type("profile-idNumber", idNumber);
  type("profile-phone", "13812345678");
  click("profile-neighbourhood-n1");
  type("profile-address", "幸福里小区3号楼2单元501");
  click("profile-groups-chronic");
}

describe("profile page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["resident"] });
    saveConsent("2025-01");
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
    vi.spyOn(Taro, "redirectTo").mockResolvedValue({ errMsg: "redirectTo:ok" });
  });

  it("shows the Chinese inline error for a wrong ID check digit and does not call the API", async () => {
    // Prepare: 11010519491231002X is valid, so …0021 has a wrong check digit.
    const api = fakeApi({
      "GET /v1/me": () => ({ statusCode: 200, data: ME_WITHOUT_PROFILE }),
      "GET /v1/centres": () => ({ statusCode: 200, data: CENTRES }),
    });
    render(<ProfilePage />);
    await fillValidForm("110105194912310021");
    // Act
    click("profile-submit");
    // Assess
    const error = await screen.findByText("身份证号校验位不正确，请核对");
    expect(error.id).toBe("profile-idNumber-error");
    const puts = api.mock.calls.filter(([option]) => option.method === "PUT");
    expect(puts).toHaveLength(0);
  });

  it("shows inline errors for every missing field", async () => {
    fakeApi({
      "GET /v1/me": () => ({ statusCode: 200, data: ME_WITHOUT_PROFILE }),
      "GET /v1/centres": () => ({ statusCode: 200, data: CENTRES }),
    });
    render(<ProfilePage />);
    await screen.findByText("完善个人信息");
    click("profile-submit");
    expect((await screen.findByText("请填写姓名")).id).toBe("profile-name-error");
    expect(screen.getByText("请填写证件号码").id).toBe("profile-idNumber-error");
    expect(screen.getByText("请填写手机号").id).toBe("profile-phone-error");
    expect(screen.getByText("请选择所属社区").id).toBe("profile-neighbourhood-error");
    expect(screen.getByText("请填写详细地址").id).toBe("profile-address-error");
  });

  it("sends a valid profile with the accepted policy version and shows the masked values returned", async () => {
    // Prepare
    const api = fakeApi({
      "GET /v1/me": () => ({ statusCode: 200, data: ME_WITHOUT_PROFILE }),
      "GET /v1/centres": () => ({ statusCode: 200, data: CENTRES }),
      "PUT /v1/me/profile": () => ({
        statusCode: 200,
        data: {
          residentId: "r1",
          name: "王秀兰",
          idType: "resident_id_card",
          idNumberMasked: "110***********002X",
          phoneMasked: "138****5678",
          birthDate: "1949-12-31",
          sex: "female",
          age: 75,
          groups: ["elderly", "chronic"],
          declaredGroups: ["chronic"],
          neighbourhoodId: "n1",
          centreId: "c1",
          address: "幸福里小区3号楼2单元501",
        },
      }),
    });
    render(<ProfilePage />);
    await fillValidForm("11010519491231002x");
    // Act
    click("profile-submit");
    // Assess
    await waitFor(() =>
      expect(document.getElementById("profile-idNumberMasked")?.textContent).toBe("110***********002X"),
    );
    const put = api.mock.calls.find(([option]) => option.method === "PUT")?.[0];
    expect(put?.data).toEqual({
      name: "王秀兰",
      idType: "resident_id_card",
      idNumber: "11010519491231002X",
      phone: "13812345678",
      neighbourhoodId: "n1",
      address: "幸福里小区3号楼2单元501",
      declaredGroups: ["chronic"],
      consents: { privacyPolicyVersion: "2025-01", healthData: true },
    });
    expect(document.getElementById("profile-phoneMasked")?.textContent).toBe("138****5678");
    expect(document.getElementById("profile-birthDate")?.textContent).toBe("1949-12-31");
    expect(document.getElementById("profile-sex")?.textContent).toBe("女");
    expect(document.getElementById("profile-groups-result")?.textContent).toContain("慢性病患者");
  });

  it("puts the server's 400 details under the matching fields", async () => {
    fakeApi({
      "GET /v1/me": () => ({ statusCode: 200, data: ME_WITHOUT_PROFILE }),
      "GET /v1/centres": () => ({ statusCode: 200, data: CENTRES }),
      "PUT /v1/me/profile": () => ({
        statusCode: 400,
        data: {
          error: {
            code: "VALIDATION_FAILED",
            message: "请求参数有误",
            details: [{ path: "phone", message: "该手机号不可用" }],
          },
        },
      }),
    });
    render(<ProfilePage />);
    await fillValidForm("11010519491231002X");
    click("profile-submit");
    const error = await screen.findByText("该手机号不可用");
    expect(error.id).toBe("profile-phone-error");
  });
});
