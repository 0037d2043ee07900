import Taro from "@tarojs/taro";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import TeamPage from "./index";

type RequestOption = Taro.request.Option;

/** A title of NutUI's tab strip, by the start of its label (the count follows it). */
function teamTab(label: string): HTMLElement {
  const item = Array.from(document.querySelectorAll<HTMLElement>("#team-tabs .nut-tabs-titles-item")).find(
    (el) => el.textContent?.startsWith(label),
  );
  if (!item) throw new Error(`no tab ${label}`);
  return item;
}

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

    fireEvent.click(teamTab("已签约"));
    expect(await screen.findByText("2/4")).toBeTruthy();
    expect(document.getElementById("team-active-k1-start")?.textContent).toBe("2026-11-23");
  });
  it("has a 待办 tab with the open items per kind as badges, each opening the work-list on its kind", async () => {
    const counts = {
      review_overdue: 1,
      followup_behind: 3,
      assessment_due: 0,
      home_visit_requested: 2,
      home_visit_due: 0,
      renewal_at_risk: 0,
      not_reached: 0,
      unrecorded_visit: 0,
    };
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const [path] = option.url.split("?");
      let data: unknown = { items: [], nextCursor: null };
      if (path === "/v1/me")
        data = { user: { id: "u_doc", roles: ["doctor"], teamId: "t1" }, profile: null, family: [] };
      if (path === "/v1/teams/t1/worklist") data = { items: [], nextCursor: null, counts };
      return Promise.resolve({ statusCode: 200, data, header: {}, errMsg: "request:ok" });
    }) as unknown as typeof Taro.request);
    const go = vi.spyOn(Taro, "navigateTo").mockResolvedValue({ errMsg: "navigateTo:ok" });

    render(<TeamPage />);
    const tab = await waitFor(() => {
      const el = teamTab("待办");
      if (!el.textContent?.includes("待办（6）")) throw new Error("no counts yet");
      return el;
    });
    // The desk's link shows the same total, from the same single read of the counts.
    expect(document.getElementById("team-to-worklist")?.textContent).toContain("待办（6）");
    expect(api.mock.calls.filter(([o]) => o.url.startsWith("/v1/teams/t1/worklist"))).toHaveLength(1);
    expect(api.mock.calls.find(([o]) => o.url.startsWith("/v1/teams/t1/worklist"))?.[0].url).toContain(
      "limit=1",
    );

    fireEvent.click(tab);
    expect(document.getElementById("team-worklist-total")?.textContent).toContain("共 6 项待办");
    expect(document.getElementById("team-worklist-followup_behind-count")?.textContent).toBe("3");
    expect(document.getElementById("team-worklist-home_visit_requested-count")?.textContent).toBe("2");
    expect(document.getElementById("team-worklist-not_reached-count")?.textContent).toBe("0");
    expect(document.getElementById("team-worklist-followup_behind-count")?.className).toContain("--open");
    expect(document.getElementById("team-worklist-not_reached-count")?.className).not.toContain("--open");
    // Kinds with open items come first.
    const order = [...document.querySelectorAll("[data-count]")].map((el) => el.id);
    expect(order.slice(0, 3).sort()).toEqual([
      "team-worklist-followup_behind",
      "team-worklist-home_visit_requested",
      "team-worklist-review_overdue",
    ]);

    fireEvent.click(document.getElementById("team-worklist-followup_behind") as HTMLElement);
    expect(go).toHaveBeenCalledWith({ url: "/staff/worklist/index?kind=followup_behind" });
  });

  /** /v1/me for a doctor of t1 with three pending applications (k1–k3); `answer` overrides any request. */
  function teamApi(answer: (path: string, query: URLSearchParams) => unknown) {
    return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const [path = "", query = ""] = option.url.split("?");
      const params = new URLSearchParams(query);
      let data: unknown = { items: [], nextCursor: null };
      if (path === "/v1/me")
        data = { user: { id: "u_doc", roles: ["doctor"], teamId: "t1" }, profile: null, family: [] };
      else if (path === "/v1/teams/t1/contracts" && params.get("status") === "pending" && !params.get("q"))
        data = {
          items: [contract("k1", "pending"), contract("k2", "pending"), contract("k3", "pending")],
          nextCursor: null,
        };
      const answered = answer(path, params);
      if (answered && typeof answered === "object" && "statusCode" in answered)
        return Promise.resolve({ header: {}, errMsg: "request:ok", ...answered });
      return Promise.resolve({ statusCode: 200, data: answered ?? data, header: {}, errMsg: "request:ok" });
    }) as unknown as typeof Taro.request);
  }
  const byId = (id: string) => document.getElementById(id) as HTMLElement;
  const tick = (id: string) => fireEvent.click(byId(id).querySelector("input, .nut-checkbox") ?? byId(id));
  const approvals = (api: ReturnType<typeof teamApi>) =>
    api.mock.calls.filter(([o]) => o.method === "POST" && o.url.endsWith("/approve")).map(([o]) => o.url);

  it("searches the team's contracts on the server by name or phone digits", async () => {
    const api = teamApi((path, params) =>
      path === "/v1/teams/t1/contracts" && params.get("q") === "5678"
        ? { items: [contract("k9", "active")], nextCursor: null }
        : undefined,
    );
    render(<TeamPage />);
    await waitFor(() => expect(document.getElementById("team-pending-k1")).toBeTruthy());
    fireEvent.input(byId("team-search-input").querySelector("input") ?? byId("team-search-input"), {
      target: { value: " 5678 " },
    });
    fireEvent.click(byId("team-search-submit"));
    await waitFor(() => expect(document.getElementById("team-found-k9")).toBeTruthy());
    const asked = api.mock.calls.map(([o]) => o.url).find((u) => u.includes("q="));
    expect(asked).toContain("q=5678");
    expect(asked).not.toContain("status=");
    // The tabs give way to the results, and come back when the search is cleared.
    expect(document.getElementById("team-pending")).toBeNull();
    fireEvent.click(byId("team-search-clear"));
    expect(document.getElementById("team-pending-k1")).toBeTruthy();
  });

  it("approves nothing when the bulk confirmation is cancelled", async () => {
    const api = teamApi(() => undefined);
    const modal = vi.spyOn(Taro, "showModal").mockResolvedValue({ confirm: false, cancel: true, errMsg: "" });
    render(<TeamPage />);
    await waitFor(() => expect(document.getElementById("team-pending-k1")).toBeTruthy());
    tick("team-select-k1");
    tick("team-select-k2");
    await waitFor(() => expect(byId("team-bulk-approve").textContent).toContain("2"));
    fireEvent.click(byId("team-bulk-approve"));
    await waitFor(() => expect(modal).toHaveBeenCalled());
    expect(modal.mock.calls[0]?.[0]?.content).toContain("将审核通过 2 份签约申请");
    await new Promise((r) => setTimeout(r, 20));
    expect(approvals(api)).toEqual([]);
    expect(document.getElementById("team-pending-k1")).toBeTruthy();
  });

  it("approves exactly the selected applications and reports the ones that failed", async () => {
    const api = teamApi((path) => {
      if (path === "/v1/contracts/k1/approve") return contract("k1", "active");
      if (path === "/v1/contracts/k3/approve")
        return {
          statusCode: 409,
          data: { error: { code: "DOCTOR_FULL", message: "医生签约人数已满", details: [] } },
        };
      if (path === "/v1/contracts/k3") return contract("k3", "pending");
      return undefined;
    });
    vi.spyOn(Taro, "showModal").mockResolvedValue({ confirm: true, cancel: false, errMsg: "" });
    render(<TeamPage />);
    await waitFor(() => expect(document.getElementById("team-pending-k1")).toBeTruthy());
    tick("team-select-k1");
    tick("team-select-k3");
    await waitFor(() => expect(byId("team-bulk-approve").textContent).toContain("2"));
    fireEvent.click(byId("team-bulk-approve"));
    await waitFor(() => expect(document.getElementById("team-bulk-summary")).toBeTruthy());
    expect(approvals(api)).toEqual(["/v1/contracts/k1/approve", "/v1/contracts/k3/approve"]);
    expect(byId("team-bulk-summary").textContent).toContain("已通过 1 份，1 份未通过");
    expect(byId("team-bulk-failed-k3").textContent).toContain("医生签约人数已满");
  });
});
