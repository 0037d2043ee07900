import Taro from "@tarojs/taro";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import TeamPage from "./index";

type RequestOption = Taro.request.Option;

const contract = (contractId: string, status: string, overdue = false) => ({
  contractId,
  residentId: `r_${contractId}`,
  teamId: "t1",
  teamName: "第一家庭医生团队",
  centreId: "c1",
  status,
  statusName: status === "pending" ? "待审核" : "已签约",
  term: 1,
  packageIds: ["p_basic"],
  packages: [
    { packageId: "p_basic", name: "基础服务包（免费）", feeFen: 0, subsidyFen: 0, residentPaysFen: 0 },
  ],
  feeFen: 0,
  subsidyFen: 0,
  residentPaysFen: 0,
  agreementVersion: "2026-01",
  appliedAt: "2026-11-19T02:00:00.000Z",
  startDate: status === "active" ? "2026-11-23" : null,
  endDate: status === "active" ? "2027-11-22" : null,
  resident: {
    name: "王秀兰",
    sex: "female",
    birthDate: "1956-03-08",
    idNumberMasked: "110***********002X",
    phoneMasked: "138****5678",
    groups: ["elderly"],
  },
  termination: null,
  rejectReason: null,
  overdue,
  entitlements: [{ type: "chronic_followup", name: "慢病随访", entitled: 4, delivered: 2 }],
  previousContractId: null,
  switchFromContractId: null,
});

describe("team page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u_doc", roles: ["doctor"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("flags an application pending over 72 hours in red and approves it", async () => {
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const [path, query = ""] = option.url.split("?");
      const status = new URLSearchParams(query).get("status");
      let data: unknown = { items: [], nextCursor: null };
      if (path === "/v1/me")
        data = { user: { id: "u_doc", roles: ["doctor"], teamId: "t1" }, profile: null, family: [] };
      if (path === "/v1/teams/t1/contracts" && status === "pending")
        data = { items: [contract("k1", "pending", true)], nextCursor: null };
      if (path === "/v1/contracts/k1/approve") data = contract("k1", "active");
      return Promise.resolve({ statusCode: 200, data, header: {}, errMsg: "request:ok" });
    }) as unknown as typeof Taro.request);

    render(<TeamPage />);
    const overdue = await waitFor(() => {
      const el = document.getElementById("team-pending-k1-overdue");
      if (!el) throw new Error("no overdue flag");
      return el;
    });
    expect(overdue.textContent).toBe("超过72小时未审核");
    expect(overdue.className).toContain("overdue");
    expect(document.getElementById("team-overdue-summary")?.textContent).toContain("1 份申请");

    fireEvent.click(document.getElementById("team-approve-k1") as HTMLElement);
    await waitFor(() => expect(document.getElementById("team-pending-k1")).toBeNull());
    expect(api.mock.calls.some(([o]) => o.method === "POST" && o.url === "/v1/contracts/k1/approve")).toBe(
      true,
    );

    fireEvent.click(document.getElementById("team-tab-active") as HTMLElement);
    expect(await screen.findByText("2/4")).toBeTruthy();
    expect(document.getElementById("team-active-k1-start")?.textContent).toBe("2026-11-23");
  });
});
