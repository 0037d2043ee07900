import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getSessionUser, getToken, saveSession } from "../../services/session";
import ClaimPage from "./index";

/** The scan button is WeChat-only: run the page as on weapp, against Taro's H5 API (stubbed network). */
vi.mock("../../lib/platform", () => ({ isWeapp: () => true }));

type RequestOption = Taro.request.Option;

function fakeClaim(reply: (body: { code: string; name?: string }) => { statusCode: number; data: unknown }) {
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    if (option.method === "POST" && option.url === "/v1/invitations/claim") {
      return Promise.resolve({
        ...reply(option.data as { code: string; name?: string }),
        header: {},
        errMsg: "request:ok",
      });
    }
    return Promise.resolve({ statusCode: 404, data: {}, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

const NURSE = {
  statusCode: 200,
  data: {
    token: "tok-nurse",
    expiresIn: 7200,
    user: { id: "u_new", roles: ["resident", "nurse"], teamId: "t_demo_1", centreId: "c_demo" },
  },
};

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

function type(id: string, value: string) {
  fireEvent.input(byId(id), { target: { value } });
}

describe("claim page", () => {
  beforeEach(() => {
    saveSession("tok-resident", { id: "u_new", roles: ["resident"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("claims a typed code (normalised), stores the new token and lands on the team desk", async () => {
    const api = fakeClaim(() => NURSE);
    const relaunch = vi.spyOn(Taro, "reLaunch").mockResolvedValue({ errMsg: "reLaunch:ok" });
    render(<ClaimPage />);
    type("claim-code", " 7k3m-9qxp ");
    type("claim-name", "钱护士");
    fireEvent.click(byId("claim-submit"));

    await waitFor(() => expect(relaunch).toHaveBeenCalledWith({ url: "/staff/team/index" }));
    const sent = api.mock.calls.find(([o]) => o.url === "/v1/invitations/claim")?.[0];
    expect(sent?.data).toEqual({ code: "7K3M9QXP", name: "钱护士" });
    // The session now carries the nurse role: the team desk opens with it.
    expect(getToken()).toBe("tok-nurse");
    expect(getSessionUser()?.roles).toContain("nurse");
    expect(vi.mocked(Taro.showToast).mock.calls[0]?.[0]?.title).toBe("已加入，身份：社区护士");
  });

  it("lands the district's viewer (an operator's code) on the district dashboard", async () => {
    fakeClaim(() => ({
      statusCode: 200,
      data: {
        token: "tok-district",
        expiresIn: 7200,
        user: { id: "u_new", roles: ["resident", "district"] },
      },
    }));
    const relaunch = vi.spyOn(Taro, "reLaunch").mockResolvedValue({ errMsg: "reLaunch:ok" });
    render(<ClaimPage />);
    type("claim-code", "ABCD2345");
    fireEvent.click(byId("claim-submit"));

    await waitFor(() => expect(relaunch).toHaveBeenCalledWith({ url: "/staff/district/index" }));
    expect(vi.mocked(Taro.showToast).mock.calls[0]?.[0]?.title).toBe("已加入，身份：区卫健委");
  });

  it("shows why a revoked or used code is refused, and keeps the resident's session", async () => {
    fakeClaim(() => ({
      statusCode: 409,
      data: { error: { code: "INVITATION_INVALID", message: "Invitation is no longer valid" } },
    }));
    const relaunch = vi.spyOn(Taro, "reLaunch").mockResolvedValue({ errMsg: "reLaunch:ok" });
    render(<ClaimPage />);
    type("claim-code", "OLDCODE1");
    fireEvent.click(byId("claim-submit"));
    await waitFor(() =>
      expect(byId("claim-code-error").textContent).toContain("邀请码无效、已被使用、已撤销或已过期"),
    );
    // No English server text on screen, no navigation, the old token kept.
    expect(document.body.textContent).not.toContain("Invitation is no longer valid");
    expect(relaunch).not.toHaveBeenCalled();
    expect(getToken()).toBe("tok-resident");
  });

  it("refuses an empty code without calling the API", async () => {
    const api = fakeClaim(() => NURSE);
    render(<ClaimPage />);
    fireEvent.click(byId("claim-submit"));
    await waitFor(() => expect(byId("claim-code-error").textContent).toBe("请输入邀请码"));
    expect(api).not.toHaveBeenCalled();
  });

  it("scans the manager's QR code into the field, and rejects a QR code that is not an invitation", async () => {
    const api = fakeClaim(() => NURSE);
    vi.spyOn(Taro, "reLaunch").mockResolvedValue({ errMsg: "reLaunch:ok" });
    const scan = vi
      .spyOn(Taro, "scanCode")
      .mockResolvedValueOnce({ result: "https://example.com/not-ours", errMsg: "scanCode:ok" } as never)
      .mockResolvedValueOnce({ result: "jiayi-invite:AB12CD34", errMsg: "scanCode:ok" } as never);
    render(<ClaimPage />);

    fireEvent.click(byId("claim-scan"));
    await waitFor(() => expect(byId("claim-code-error").textContent).toContain("这不是家医的邀请二维码"));

    fireEvent.click(byId("claim-scan"));
    await waitFor(() => expect((byId("claim-code") as HTMLInputElement).value).toBe("AB12CD34"));
    expect(scan).toHaveBeenCalledTimes(2);
    fireEvent.click(byId("claim-submit"));
    await waitFor(() =>
      expect(api.mock.calls.find(([o]) => o.url === "/v1/invitations/claim")?.[0].data).toEqual({
        code: "AB12CD34",
      }),
    );
  });
});
