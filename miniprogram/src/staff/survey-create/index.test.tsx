import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { byId, callsTo, fakeApi, meAs, typeInto } from "../../../test-support/fake-api";
import { addDays } from "../../lib/appointments";
import { todayInChina } from "../../lib/id-number";
import { saveSession } from "../../services/session";
import SurveyCreatePage from "./index";

const TEAM = (teamId: string, name: string) => ({
  teamId,
  centreId: "c1",
  name,
  members: [],
  capacityHouseholds: 600,
  signedHouseholds: 0,
  remainingHouseholds: 600,
  signedPersons: 0,
});
const MANAGER = meAs({ id: "m1", roles: ["resident", "manager"], centreId: "c1" });
const teams = () => ({ items: [TEAM("t1", "第一团队"), TEAM("t2", "第二团队")], nextCursor: null });

const type = typeInto;

describe("创建问卷 (manual survey)", () => {
  beforeEach(() => {
    saveSession("tok", { id: "m1", roles: ["resident", "manager"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("checks the form first, then sends the questions, the team audience and the closing date", async () => {
    const api = fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/teams": teams,
      "POST /v1/centres/c1/surveys": (o) => ({
        statusCode: 201,
        data: { surveyId: "s1", ...(o.data as object), audienceSize: 37, createdAt: "2026-12-01T10:00:00Z" },
      }),
    });
    render(<SurveyCreatePage />);
    await waitFor(() => byId("survey-team-t1"));
    // The five dimensions and a comment are there to start with.
    expect(document.querySelectorAll(".question-draft")).toHaveLength(6);

    fireEvent.click(byId("survey-create-submit"));
    expect(byId("survey-title-error").textContent).toBe("请填写问卷标题");
    expect(byId("survey-team-error").textContent).toBe("请选择发放的团队");
    expect(callsTo(api, "POST", "/v1/centres/c1/surveys")).toHaveLength(0);

    // A choice question with one option is refused before sending.
    fireEvent.click(byId("survey-add-question"));
    type("survey-q-q7-text", "您最希望增加的服务");
    fireEvent.click(byId("survey-q-q7-type-choice"));
    typeInto("survey-q-q7-options", "上门服务");
    type("survey-title", "冬季满意度调查");
    fireEvent.click(byId("survey-team-t2"));
    fireEvent.click(byId("survey-group-elderly"));
    fireEvent.click(byId("survey-create-submit"));
    expect(byId("survey-q-q7-text-error").textContent).toBe("选择题至少需要 2 个选项（每行一个）");
    expect(byId("survey-create-error").textContent).toContain("有 1 道题目需要修改");
    expect(callsTo(api, "POST", "/v1/centres/c1/surveys")).toHaveLength(0);

    typeInto("survey-q-q7-options", "上门服务\n 夜间门诊 \n");
    fireEvent.click(byId("survey-create-submit"));
    await waitFor(() => byId("survey-create-success"));
    const [sent] = callsTo(api, "POST", "/v1/centres/c1/surveys");
    const body = sent?.data as Record<string, unknown> & { questions: Record<string, unknown>[] };
    expect(body).toMatchObject({
      title: "冬季满意度调查",
      trigger: "manual",
      audience: { scope: "team", teamId: "t2", groups: ["elderly"] },
      closesAt: `${addDays(todayInChina(), 14)}T23:59:00+08:00`,
    });
    expect(body.publishAt).toBeUndefined();
    expect(body.questions).toHaveLength(7);
    expect(body.questions[0]).toEqual({
      questionId: "q1",
      type: "rating",
      dimension: "professional",
      text: "您对专业能力的评价",
      required: true,
    });
    expect(body.questions[6]).toEqual({
      questionId: "q7",
      type: "choice",
      text: "您最希望增加的服务",
      options: ["上门服务", "夜间门诊"],
      required: true,
    });
    expect(byId("survey-create-audience").textContent).toContain("预计邀请 37 人");
  });

  it("shows the server's 400 next to the question it names, and the centre scope sends no team", async () => {
    const api = fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/teams": teams,
      "POST /v1/centres/c1/surveys": () => ({
        statusCode: 400,
        data: {
          error: {
            code: "VALIDATION_ERROR",
            message: "请求参数有误",
            details: [{ path: "body.questions.1.text", message: "题目不能包含 HTML 标签" }],
          },
        },
      }),
    });
    render(<SurveyCreatePage />);
    await waitFor(() => byId("survey-scope-centre"));
    type("survey-title", "全中心调查");
    fireEvent.click(byId("survey-scope-centre"));
    expect(document.getElementById("survey-team-t1")).toBeNull();
    fireEvent.click(byId("survey-create-submit"));
    await waitFor(() => byId("survey-q-q2-text-error"));
    expect(byId("survey-q-q2-text-error").textContent).toBe("题目不能包含 HTML 标签");
    const sent = callsTo(api, "POST", "/v1/centres/c1/surveys")[0]?.data as { audience?: object } | undefined;
    // The centre scope carries no team.
    expect(sent?.audience).toEqual({ scope: "centre" });
  });

  it("refuses a non-manager and shows a load error with retry", async () => {
    saveSession("tok", { id: "d1", roles: ["doctor"] });
    fakeApi({ "GET /v1/me": () => meAs({ id: "d1", roles: ["doctor"], teamId: "t1", centreId: "c1" }) });
    const { unmount } = render(<SurveyCreatePage />);
    await waitFor(() => expect(document.body.textContent).toContain("仅中心管理员可以创建问卷"));
    unmount();

    fakeApi({
      "GET /v1/me": () => ({ statusCode: 500, data: { error: { code: "X", message: "服务出错" } } }),
    });
    render(<SurveyCreatePage />);
    await waitFor(() => byId("page-error"));
    expect(byId("page-error").textContent).toContain("服务出错");
  });
});
