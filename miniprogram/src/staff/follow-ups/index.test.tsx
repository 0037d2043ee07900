import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { byId, callsTo, fakeApi, meAs, typeInto } from "../../../test-support/fake-api";
import { saveSession } from "../../services/session";
import FollowUpsPage from "./index";

const MANAGER = meAs({ id: "m1", roles: ["resident", "manager"], centreId: "c1" });
const low = (responseId: string, consent: boolean) => ({
  responseId,
  invitationId: responseId,
  contactConsent: consent,
  contact: consent ? { residentId: "res1", name: "王秀兰", phoneMasked: "138****1234" } : null,
  followUp: null,
  surveyId: "s1",
  teamId: "t1",
  staffId: null,
  serviceType: null,
  submittedAt: "2026-12-01T02:00:00.000Z",
  lowRatings: [{ questionId: "waiting", dimension: "waiting", value: 1 }],
  comments: consent ? ["排队太久"] : [],
});
const STAFF = {
  items: [
    { userId: "u_doc1", name: "李医生", roles: ["doctor"], teamId: "t1" },
    { userId: "u_nurse2", name: "张护士", roles: ["nurse"], teamId: "t2" },
    { userId: "m1", name: "赵主任", roles: ["manager"] },
  ],
  nextCursor: null,
};
const followUp = (extra: Record<string, unknown>) => ({
  responseId: "r1",
  centreId: "c1",
  teamId: "t1",
  assigneeId: "u_nurse2",
  assignedBy: "m1",
  assignedAt: "2026-12-01T03:00:00.000Z",
  status: "assigned",
  outcome: null,
  issue: null,
  action: null,
  note: null,
  closedAt: null,
  closedBy: null,
  ...extra,
});

describe("低分回访", () => {
  beforeEach(() => {
    saveSession("tok", { id: "m1", roles: ["resident", "manager"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("assigns a consented low score outside the rated team, records the outcome and closes it", async () => {
    const api = fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/staff": () => STAFF,
      "GET /v1/centres/c1/satisfaction/low-scores": () => ({
        items: [low("r1", true), low("r2", false)],
        nextCursor: null,
      }),
      "POST /v1/low-scores/r1/follow-up": () => followUp({}),
      "POST /v1/low-scores/r1/follow-up/resolve": (o) =>
        followUp({
          ...(o.data as object),
          status: "closed",
          closedAt: "2026-12-01T05:00:00.000Z",
          closedBy: "u_nurse2",
        }),
    });
    render(<FollowUpsPage />);
    await waitFor(() => byId("follow-r1"));

    // Without consent: anonymous, nothing to act on.
    expect(byId("follow-r2-anonymous").textContent).toContain("匿名");
    expect(document.getElementById("follow-r2-assign")).toBeNull();
    expect(byId("follow-r1-contact").textContent).toBe("王秀兰 · 138****1234");

    // The rated team's doctor is not offered; the manager and another team's nurse are.
    expect(document.getElementById("follow-r1-assignee-u_doc1")).toBeNull();
    expect(byId("follow-r1-assignee-m1").textContent).toBe("由我回访");
    fireEvent.click(byId("follow-r1-assign-submit"));
    expect(byId("follow-r1-error").textContent).toBe("请选择回访人");
    expect(callsTo(api, "POST", "/v1/low-scores/r1/follow-up")).toHaveLength(0);

    fireEvent.click(byId("follow-r1-assignee-u_nurse2"));
    fireEvent.click(byId("follow-r1-assign-submit"));
    await waitFor(() => byId("follow-r1-resolve"));
    expect(callsTo(api, "POST", "/v1/low-scores/r1/follow-up")[0]?.data).toEqual({ assigneeId: "u_nurse2" });
    expect(byId("follow-r1-assigned").textContent).toContain("回访人：张护士");

    fireEvent.click(byId("follow-r1-outcome-resolved"));
    typeInto("follow-r1-issue", " 候诊排队时间长 ");
    typeInto("follow-r1-action", "增加上午号源");
    fireEvent.click(byId("follow-r1-resolve-submit"));
    await waitFor(() => byId("follow-r1-closed"));
    expect(callsTo(api, "POST", "/v1/low-scores/r1/follow-up/resolve")[0]?.data).toEqual({
      outcome: "resolved",
      note: "",
      issue: "候诊排队时间长",
      action: "增加上午号源",
    });
    expect(byId("follow-r1-closed").textContent).toContain("问题已解决");
    expect(byId("follow-r1-closed").textContent).toContain("措施：增加上午号源");
    expect(byId("follow-r1").dataset.status).toBe("closed");
  });

  it("shows the server's refusal on the item, pages through the list, and says when there is none", async () => {
    let page = 0;
    const api = fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/staff": () => STAFF,
      "GET /v1/centres/c1/satisfaction/low-scores": (o) => {
        page += 1;
        return o.url.includes("cursor=next")
          ? { items: [low("r3", true)], nextCursor: null }
          : { items: [low("r1", true)], nextCursor: "next" };
      },
      "POST /v1/low-scores/r1/follow-up": () => ({
        statusCode: 409,
        data: { error: { code: "FOLLOW_UP_CLOSED", message: "该回访已结案" } },
      }),
    });
    render(<FollowUpsPage />);
    await waitFor(() => byId("follow-r1"));
    fireEvent.click(byId("follow-r1-assignee-m1"));
    fireEvent.click(byId("follow-r1-assign-submit"));
    await waitFor(() => expect(byId("follow-r1-error").textContent).toBe("该回访已结案"));
    expect(callsTo(api, "POST", "/v1/low-scores/r1/follow-up")[0]?.data).toEqual({ assigneeId: "m1" });

    fireEvent.click(byId("follow-ups-more"));
    await waitFor(() => byId("follow-r3"));
    expect(page).toBe(2);
    expect(document.getElementById("follow-ups-more")).toBeNull();
  });

  it("an empty list says so", async () => {
    fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/staff": () => STAFF,
      "GET /v1/centres/c1/satisfaction/low-scores": () => ({ items: [], nextCursor: null }),
    });
    render(<FollowUpsPage />);
    await waitFor(() => expect(document.body.textContent).toContain("暂无低分评价"));
  });
});
