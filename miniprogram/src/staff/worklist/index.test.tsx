import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { WorklistLink } from "../../components/WorklistLink";
import { saveSession } from "../../services/session";
import WorklistPage from "./index";

type RequestOption = Taro.request.Option;

const counts = {
  review_overdue: 0,
  followup_behind: 1,
  assessment_due: 0,
  home_visit_requested: 1,
  home_visit_due: 0,
  renewal_at_risk: 0,
  not_reached: 0,
  unrecorded_visit: 0,
};
const item = (kind: string, residentId: string, extra: Record<string, unknown> = {}) => ({
  kind,
  kindName: kind === "followup_behind" ? "慢病随访落后" : "上门服务申请",
  residentId,
  name: "王秀兰",
  groups: ["chronic"],
  dueBy: "2026-12-10",
  reason: kind === "followup_behind" ? "慢病随访 0/4，按进度应完成 1 次" : "腿脚不便",
  updatedAt: "2026-12-01T02:00:00.000Z",
  ...extra,
});

describe("待办 page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u_doc", roles: ["doctor"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("shows counts per kind, calls through the audited reveal and schedules a home visit", async () => {
    let open = true;
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const [path] = option.url.split("?");
      let data: unknown = { items: [], nextCursor: null };
      if (path === "/v1/me")
        data = { user: { id: "u_doc", roles: ["doctor"], teamId: "t1" }, profile: null, family: [] };
      if (path === "/v1/teams/t1/worklist")
        data = {
          items: [
            item("followup_behind", "r1"),
            ...(open ? [item("home_visit_requested", "r2", { requestId: "hv1" })] : []),
          ],
          nextCursor: null,
          counts: { ...counts, home_visit_requested: open ? 1 : 0 },
        };
      if (path === "/v1/residents/r1/contact") data = { residentId: "r1", phone: "13800001234" };
      if (path === "/v1/home-visit-requests/hv1/schedule") {
        open = false;
        data = { requestId: "hv1", status: "scheduled" };
      }
      return Promise.resolve({ statusCode: 200, data, header: {}, errMsg: "request:ok" });
    }) as unknown as typeof Taro.request);
    const dial = vi.spyOn(Taro, "makePhoneCall").mockResolvedValue({ errMsg: "makePhoneCall:ok" });

    render(<WorklistPage />);
    const chip = await waitFor(() => {
      const el = document.getElementById("worklist-kind-followup_behind");
      if (!el) throw new Error("no chips yet");
      return el;
    });
    expect(chip.textContent).toContain("慢病随访落后（1）");
    expect(document.getElementById("worklist-kind-all")?.textContent).toContain("全部（2）");

    // The phone is revealed (audited, naming the item) only to dial it.
    fireEvent.click(document.getElementById("worklist-followup_behind-r1-call") as HTMLElement);
    await waitFor(() => expect(dial).toHaveBeenCalledWith({ phoneNumber: "13800001234" }));
    const reveal = api.mock.calls.find(([o]) => o.url === "/v1/residents/r1/contact")?.[0];
    expect(reveal?.data).toEqual({ purpose: "待办：慢病随访落后", kind: "followup_behind" });
    expect(document.body.textContent).not.toContain("13800001234");

    fireEvent.click(document.getElementById("worklist-home_visit_requested-r2hv1-schedule") as HTMLElement);
    fireEvent.click(
      document.getElementById("worklist-home_visit_requested-r2hv1-schedule-submit") as HTMLElement,
    );
    await waitFor(() => expect(document.getElementById("worklist-home_visit_requested-r2hv1")).toBeNull());
    const scheduled = api.mock.calls.find(([o]) => o.url === "/v1/home-visit-requests/hv1/schedule")?.[0];
    expect(scheduled?.data).toEqual({
      startsAt: new Date("2026-12-10T09:00:00+08:00").toISOString(),
      durationMinutes: 30,
    });
  });

  it("shows the number of open items on the team desk's link (one page of one item, the counts)", async () => {
    const api = vi.spyOn(Taro, "request").mockImplementation(((_option: RequestOption) =>
      Promise.resolve({
        statusCode: 200,
        data: { items: [], nextCursor: null, counts: { ...counts, not_reached: 3 } },
        header: {},
        errMsg: "request:ok",
      })) as unknown as typeof Taro.request);
    render(<WorklistLink teamId="t1" />);
    await waitFor(() =>
      expect(document.getElementById("team-to-worklist")?.textContent).toContain("待办（5）"),
    );
    expect(api.mock.calls[0]?.[0].url).toContain("/v1/teams/t1/worklist");
    expect(api.mock.calls[0]?.[0].url).toContain("limit=1");
  });
});
