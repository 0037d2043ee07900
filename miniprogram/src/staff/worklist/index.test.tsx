import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { WorklistLink } from "../../components/WorklistLink";
import { todayInChina } from "../../lib/appointments";
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
  it("approves an overdue application, books a slot on the resident's behalf and records the follow-up owed", async () => {
    const today = todayInChina();
    let approved = false;
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const [path, query = ""] = option.url.split("?");
      const post = option.method === "POST";
      let data: unknown = { items: [], nextCursor: null };
      let statusCode = 200;
      if (path === "/v1/me")
        data = { user: { id: "u_doc", roles: ["doctor"], teamId: "t1" }, profile: null, family: [] };
      if (path === "/v1/teams/t1/worklist")
        data = {
          items: [
            ...(approved
              ? []
              : [item("review_overdue", "r0", { kindName: "签约超时待审", contractId: "k0" })]),
            item("followup_behind", "r1", { contractId: "k1", lastDoneAt: "2026-09-01T02:00:00.000Z" }),
          ],
          nextCursor: null,
          counts: { ...counts, review_overdue: approved ? 0 : 1, home_visit_requested: 0 },
        };
      if (path === "/v1/contracts/k0/approve" && post) {
        approved = true;
        data = { contractId: "k0", status: "active" };
      }
      if (path === "/v1/teams/t1/slots") {
        const type = new URLSearchParams(query).get("serviceType");
        data = {
          items:
            type === "chronic_followup"
              ? [
                  {
                    slotId: "s1",
                    teamId: "t1",
                    serviceType: "chronic_followup",
                    serviceName: "慢病随访",
                    date: today,
                    startsAt: `${today}T23:00:00+08:00`,
                    endsAt: `${today}T23:30:00+08:00`,
                    capacity: 3,
                    remaining: 3,
                    closed: false,
                    groups: [],
                  },
                ]
              : [],
          nextCursor: null,
        };
      }
      if (path === "/v1/appointments" && post) {
        statusCode = 201;
        data = { appointmentId: "a1", status: "booked", bookedBy: "team" };
      }
      if (path === "/v1/contracts/k1" && !post)
        data = {
          contractId: "k1",
          status: "active",
          entitlements: [
            { type: "consultation", name: "全科门诊", entitled: 4, delivered: 0 },
            { type: "chronic_followup", name: "慢病随访", entitled: 4, delivered: 0 },
          ],
        };
      if (path === "/v1/contracts/k1/services" && post) {
        statusCode = 201;
        data = { serviceId: "svc1" };
      }
      return Promise.resolve({ statusCode, data, header: {}, errMsg: "request:ok" });
    }) as unknown as typeof Taro.request);
    const posts = (url: string) =>
      api.mock.calls.map(([o]) => o).filter((o) => o.method === "POST" && o.url === url);

    render(<WorklistPage />);
    const approve = await waitFor(() => {
      const el = document.getElementById("worklist-review_overdue-r0-approve");
      if (!el) throw new Error("no item yet");
      return el;
    });
    // When the follow-up owed was last done, in China time.
    expect(document.getElementById("worklist-followup_behind-r1-last-done")?.textContent).toBe(
      "上次随访：2026-09-01",
    );

    // 通过: the application is approved from the list, which is read again.
    fireEvent.click(approve);
    await waitFor(() => expect(document.getElementById("worklist-review_overdue-r0")).toBeNull());
    expect(posts("/v1/contracts/k0/approve")).toHaveLength(1);

    // 代预约: the team's chronic follow-up slots, one booked for the resident.
    fireEvent.click(document.getElementById("worklist-followup_behind-r1-book") as HTMLElement);
    const book = await waitFor(() => {
      const el = document.getElementById("worklist-followup_behind-r1-slot-s1-book");
      if (!el) throw new Error("no slots yet");
      return el;
    });
    fireEvent.click(book);
    fireEvent.click(document.getElementById("worklist-followup_behind-r1-book-confirm") as HTMLElement);
    await waitFor(() => expect(posts("/v1/appointments")).toHaveLength(1));
    expect(posts("/v1/appointments")[0]?.data).toEqual({ slotId: "s1", residentId: "r1" });
    await waitFor(() => expect(document.getElementById("worklist-followup_behind-r1-book-form")).toBeNull());

    // 记录服务: the contract's form, the follow-up owed chosen to start with.
    fireEvent.click(document.getElementById("worklist-followup_behind-r1-service") as HTMLElement);
    const place = await waitFor(() => {
      const el = document.getElementById("worklist-followup_behind-r1-record-place");
      if (!el) throw new Error("no form yet");
      return el as HTMLInputElement;
    });
    expect(
      document.getElementById("worklist-followup_behind-r1-record-type-chronic_followup")?.className,
    ).toContain("chip--active");
    fireEvent.input(place, { target: { value: "居民家中" } });
    fireEvent.click(document.getElementById("worklist-followup_behind-r1-record-submit") as HTMLElement);
    await waitFor(() => expect(posts("/v1/contracts/k1/services")).toHaveLength(1));
    expect(posts("/v1/contracts/k1/services")[0]?.data).toMatchObject({
      type: "chronic_followup",
      place: "居民家中",
    });
  });

  it("starts on the kind the team desk opened it with", async () => {
    vi.spyOn(Taro, "getCurrentInstance").mockReturnValue({
      router: { params: { kind: "followup_behind" } },
    } as unknown as ReturnType<typeof Taro.getCurrentInstance>);
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const [path] = option.url.split("?");
      let data: unknown = { items: [], nextCursor: null, counts };
      if (path === "/v1/me")
        data = { user: { id: "u_doc", roles: ["doctor"], teamId: "t1" }, profile: null, family: [] };
      return Promise.resolve({ statusCode: 200, data, header: {}, errMsg: "request:ok" });
    }) as unknown as typeof Taro.request);
    render(<WorklistPage />);
    await waitFor(() =>
      expect(document.getElementById("worklist-kind-followup_behind")?.className).toContain("chip--active"),
    );
    const listed = api.mock.calls.find(([o]) => o.url.startsWith("/v1/teams/t1/worklist"))?.[0];
    expect(listed?.url).toContain("kind=followup_behind");
  });
});
