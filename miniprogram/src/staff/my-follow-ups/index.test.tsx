import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { byId, callsTo, fakeApi, typeInto } from "../../../test-support/fake-api";
import { saveSession } from "../../services/session";
import MyFollowUpsPage from "./index";

const assignment = (responseId: string) => ({
  responseId,
  followUp: {
    responseId,
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
  },
  contact: { name: "王秀兰", phoneMasked: "138****1234" },
  teamId: "t1",
  teamName: "第一团队",
  submittedAt: "2026-12-01T02:00:00.000Z",
  lowRatings: [{ questionId: "waiting", dimension: "waiting", value: 1 }],
  comments: ["排队太久"],
});

describe("我的回访", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u_nurse2", roles: ["nurse"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("lists open assignments with the masked phone and no call button, pages on, and records an outcome", async () => {
    const call = vi.spyOn(Taro, "makePhoneCall");
    const api = fakeApi({
      "GET /v1/me/follow-ups": (o) =>
        o.url.includes("cursor=next")
          ? { items: [assignment("r2")], nextCursor: null }
          : { items: [assignment("r1")], nextCursor: "next" },
      "POST /v1/low-scores/r1/follow-up/resolve": (o) => ({
        ...assignment("r1").followUp,
        ...(o.data as object),
        status: "closed",
      }),
    });
    render(<MyFollowUpsPage />);
    await waitFor(() => byId("my-follow-r1"));
    expect(callsTo(api, "GET", "/v1/me/follow-ups")[0]?.url).toContain("status=open");
    expect(byId("my-follow-r1-contact").textContent).toBe("王秀兰 · 138****1234");
    expect(byId("my-follow-r1-meta").textContent).toContain("被评价团队：第一团队");
    expect(byId("my-follow-r1").textContent).toContain("排队太久");
    expect(document.body.textContent).not.toContain("拨打");

    fireEvent.click(byId("my-follow-ups-more"));
    await waitFor(() => byId("my-follow-r2"));
    expect(document.getElementById("my-follow-ups-more")).toBeNull();

    // No outcome chosen: said on the card, nothing sent
    fireEvent.click(byId("my-follow-r1-resolve-submit"));
    expect(byId("my-follow-r1-error").textContent).toBe("请选择回访结果");
    expect(callsTo(api, "POST", "/v1/low-scores/r1/follow-up/resolve")).toHaveLength(0);

    fireEvent.click(byId("my-follow-r1-outcome-unreachable"));
    typeInto("my-follow-r1-note", " 两次未接 ");
    fireEvent.click(byId("my-follow-r1-resolve-submit"));
    await waitFor(() => expect(document.getElementById("my-follow-r1")).toBeNull());
    expect(callsTo(api, "POST", "/v1/low-scores/r1/follow-up/resolve")[0]?.data).toEqual({
      outcome: "unreachable",
      note: "两次未接",
    });
    expect(byId("my-follow-r2")).toBeTruthy();
    expect(call).not.toHaveBeenCalled();
  });

  it("shows the server's refusal on the card", async () => {
    fakeApi({
      "GET /v1/me/follow-ups": () => ({ items: [assignment("r1")], nextCursor: null }),
      "POST /v1/low-scores/r1/follow-up/resolve": () => ({
        statusCode: 409,
        data: { error: { code: "FOLLOW_UP_CLOSED", message: "该回访已结案" } },
      }),
    });
    render(<MyFollowUpsPage />);
    await waitFor(() => byId("my-follow-r1"));
    fireEvent.click(byId("my-follow-r1-outcome-reached"));
    fireEvent.click(byId("my-follow-r1-resolve-submit"));
    await waitFor(() => expect(byId("my-follow-r1-error").textContent).toBe("该回访已结案"));
  });

  it("an empty list says so", async () => {
    fakeApi({ "GET /v1/me/follow-ups": () => ({ items: [], nextCursor: null }) });
    render(<MyFollowUpsPage />);
    await waitFor(() => expect(document.body.textContent).toContain("暂无分配给您的回访"));
  });
});
