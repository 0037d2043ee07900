import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import InvitationsPage from "./index";

type RequestOption = Taro.request.Option;
type Reply = { statusCode: number; data: unknown };

const TEAM = {
  teamId: "t1",
  centreId: "c1",
  name: "第一家庭医生团队",
  members: [],
  capacityHouseholds: 600,
  signedHouseholds: 0,
  remainingHouseholds: 600,
  signedPersons: 0,
};
const OPEN = { code: "OLD12345", role: "doctor", teamId: "t1", expiresAt: "2026-12-08T10:00:00+08:00" };

function fakeApi() {
  let open: { code: string; role: string; teamId?: string; expiresAt: string }[] = [OPEN];
  const routes: Record<string, (o: RequestOption) => Reply> = {
    "GET /v1/me": () => ({
      statusCode: 200,
      data: { user: { id: "m1", roles: ["resident", "manager"], centreId: "c1" }, profile: null, family: [] },
    }),
    "GET /v1/centres/c1/teams": () => ({ statusCode: 200, data: { items: [TEAM], nextCursor: null } }),
    "GET /v1/centres/c1/invitations": () => ({ statusCode: 200, data: { items: open, nextCursor: null } }),
    "POST /v1/centres/c1/invitations": (o) => {
      const body = o.data as { role: string; teamId?: string };
      const created = { code: "NEW67890", expiresAt: "2026-12-08T12:00:00+08:00", ...body };
      open = [...open, created];
      return { statusCode: 201, data: created };
    },
    "DELETE /v1/centres/c1/invitations/OLD12345": () => {
      open = open.filter((i) => i.code !== "OLD12345");
      return { statusCode: 200, data: { ...OPEN, revokedAt: "2026-12-01T10:00:00+08:00" } };
    },
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

describe("invitations page (manager)", () => {
  beforeEach(() => {
    saveSession("tok", { id: "m1", roles: ["resident", "manager"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("issues a team invitation only with a team, lists it and draws its QR code", async () => {
    const api = fakeApi();
    render(<InvitationsPage />);
    await waitFor(() => byId("invite-OLD12345"));

    fireEvent.click(byId("invite-role-nurse"));
    fireEvent.click(byId("invite-submit"));
    expect(byId("invite-error").textContent).toBe("请选择成员加入的团队");
    expect(api.mock.calls.some(([o]) => o.method === "POST")).toBe(false);

    fireEvent.click(byId("invite-team-t1"));
    fireEvent.click(byId("invite-submit"));
    await waitFor(() => expect(byId("invite-issued-code").textContent).toBe("NEW67890"));
    const sent = api.mock.calls.find(([o]) => o.method === "POST")?.[0];
    expect(sent?.data).toEqual({ role: "nurse", teamId: "t1" });
    await waitFor(() => byId("invite-NEW67890"));
    expect(byId("invite-NEW67890").textContent).toContain("社区护士 · 第一家庭医生团队");

    // The new code's QR code is shown at once, ready to be scanned; 收起 hides it.
    const qr = byId("invite-NEW67890-qrcode");
    expect(Number(qr.dataset.modules)).toBeGreaterThanOrEqual(21);
    expect(qr.querySelectorAll(".qr__dark").length).toBeGreaterThan(50);
    expect(byId("invite-NEW67890-qr").textContent).toBe("收起");
    fireEvent.click(byId("invite-NEW67890-qr"));
    expect(document.getElementById("invite-NEW67890-qrcode")).toBeNull();
    fireEvent.click(byId("invite-OLD12345-qr"));
    expect(document.getElementById("invite-OLD12345-qrcode")).not.toBeNull();
  });

  it("revokes an open code after confirmation, and keeps it when the manager says no", async () => {
    const api = fakeApi();
    const modal = vi
      .spyOn(Taro, "showModal")
      .mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: "showModal:ok" })
      .mockResolvedValueOnce({ confirm: true, cancel: false, errMsg: "showModal:ok" });
    render(<InvitationsPage />);
    await waitFor(() => byId("invite-OLD12345"));

    fireEvent.click(byId("invite-OLD12345-revoke"));
    await waitFor(() => expect(modal).toHaveBeenCalledTimes(1));
    expect(api.mock.calls.some(([o]) => o.method === "DELETE")).toBe(false);
    expect(document.getElementById("invite-OLD12345")).not.toBeNull();

    fireEvent.click(byId("invite-OLD12345-revoke"));
    await waitFor(() => expect(document.getElementById("invite-OLD12345")).toBeNull());
    expect(api.mock.calls.some(([o]) => o.method === "DELETE" && o.url.endsWith("/OLD12345"))).toBe(true);
    expect(byId("invite-open-empty").textContent).toBe("暂无未使用的邀请码");
  });
});
