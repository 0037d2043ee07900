import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { byId, callsTo, fakeApi, meAs } from "../../../test-support/fake-api";
import { addMonths, thisMonth } from "../../lib/notices";
import { saveSession } from "../../services/session";
import SurveyResultsPage from "./index";

const MANAGER = meAs({ id: "m1", roles: ["resident", "manager"], centreId: "c1" });
const rating = (distribution: Record<string, number> | null, average: number | null) => ({
  questionId: "q1",
  type: "rating",
  text: "您对服务态度的评价",
  dimension: "attitude",
  distribution,
  average,
});
const choice = (counts: { option: string; count: number }[] | null) => ({
  questionId: "q2",
  type: "choice",
  text: "您最希望增加的服务",
  counts,
});
const RESULTS = {
  surveyId: "s1",
  title: "冬季满意度调查",
  trigger: "manual",
  closesAt: "2026-12-15T15:59:00.000Z",
  minResponses: 5,
  invited: 14,
  responded: 8,
  responseRate: 8 / 14,
  teams: [
    {
      teamId: "t1",
      name: "第一团队",
      invited: 10,
      responded: 6,
      responseRate: 0.6,
      questions: [rating({ 1: 0, 2: 1, 3: 1, 4: 2, 5: 2 }, 3.8), choice([{ option: "上门服务", count: 4 }])],
      comments: ["医生很耐心"],
    },
    {
      teamId: "t2",
      name: "第二团队",
      invited: 4,
      responded: 2,
      responseRate: 0.5,
      questions: null,
      comments: null,
    },
  ],
  questions: [
    rating({ 1: 0, 2: 1, 3: 1, 4: 3, 5: 3 }, 4),
    choice([
      { option: "上门服务", count: 5 },
      { option: "夜间门诊", count: 3 },
    ]),
  ],
  comments: ["医生很耐心", "候诊时间长"],
};

const month = thisMonth();
const scores = (average: number | null) => ({
  from: `${addMonths(month, -11)}-01`,
  to: `${month}-28`,
  groupBy: "month",
  groups: [{ key: month, responses: 6, average, dimensions: { overall: { responses: 6, average } } }],
  total: { responses: 6, average },
});

const params = (p: Record<string, string>) =>
  vi.spyOn(Taro, "getCurrentInstance").mockReturnValue({
    router: { params: p, path: "/staff/survey-results/index" },
  } as unknown as ReturnType<typeof Taro.getCurrentInstance>);

describe("问卷结果", () => {
  beforeEach(() => {
    saveSession("tok", { id: "m1", roles: ["resident", "manager"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("shows rates per team, the distributions, and withholds what the server withholds", async () => {
    params({ surveyId: "s1" });
    const api = fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/surveys/s1/results": () => RESULTS,
      "GET /v1/centres/c1/satisfaction": (o) => scores(o.url.includes("teamId=t1") ? 4.5 : 4.1),
    });
    render(<SurveyResultsPage />);
    await waitFor(() => byId("results-summary"));

    expect(byId("results-invited").textContent).toBe("14");
    expect(byId("results-responded").textContent).toBe("8");
    expect(byId("results-rate").textContent).toBe("57.1%");
    expect(byId("results-teams-chart-bar-t1-value").textContent).toBe("60.0%");
    expect(byId("results-teams-chart-bar-t2").textContent).toContain("2/4 份");
    // The whole survey: five star bars and the choice counts, the comments.
    expect(byId("results-q-q1-chart").querySelectorAll(".chart__row")).toHaveLength(5);
    expect(byId("results-q-q1-chart-bar-4-value").textContent).toBe("3 份");
    expect(byId("results-q-q1-average").textContent).toBe("平均 4.0 星");
    expect(byId("results-q-q2-chart-bar-1-label").textContent).toBe("夜间门诊");
    expect(byId("results-comments").textContent).toContain("候诊时间长");

    // The centre's 12-month trend on 总体满意度, then one team's.
    await waitFor(() => byId("results-trend-chart"));
    expect(byId("results-trend-chart").querySelectorAll(".columns__col")).toHaveLength(12);
    expect(byId(`results-trend-chart-col-${month}-value`).textContent).toBe("4.1");
    const first = callsTo(api, "GET", "/v1/centres/c1/satisfaction")[0]?.url ?? "";
    expect(first).toContain("groupBy=month");
    expect(first).toContain(`from=${addMonths(month, -11)}-01`);
    expect(first).not.toContain("teamId");

    fireEvent.click(byId("results-team-t1"));
    expect(byId("results-q-q1-chart-bar-5-value").textContent).toBe("2 份");
    await waitFor(() => expect(byId(`results-trend-chart-col-${month}-value`).textContent).toBe("4.5"));
    expect(callsTo(api, "GET", "/v1/centres/c1/satisfaction").at(-1)?.url).toContain("teamId=t1");
    // Another dimension: no figures for it, so every month is below the floor.
    fireEvent.click(byId("results-trend-dim-waiting"));
    expect(byId(`results-trend-chart-col-${month}-value`).textContent).toBe("—");

    // Team 2 has 2 responses: the server sent no breakdown, and the page says so.
    fireEvent.click(byId("results-team-t2"));
    expect(byId("results-team-withheld").textContent).toBe("不足5份，不显示");
    expect(byId("results-comments-withheld").textContent).toBe("不足5份，不显示");
    expect(document.getElementById("results-q-q1")).toBeNull();
  });

  it("marks a question withheld overall when its distribution is null", async () => {
    params({ surveyId: "s1" });
    fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/surveys/s1/results": () => ({
        ...RESULTS,
        responded: 3,
        questions: [rating(null, null), choice(null)],
        comments: null,
      }),
      "GET /v1/centres/c1/satisfaction": () => scores(null),
    });
    render(<SurveyResultsPage />);
    await waitFor(() => byId("results-q-q1-withheld"));
    expect(byId("results-q-q2-withheld").textContent).toBe("不足5份，不显示");
    expect(document.getElementById("results-q-q1-chart")).toBeNull();
    expect(byId("results-comments-withheld").textContent).toBe("不足5份，不显示");
  });

  it("without a survey lists the centre's surveys a page at a time", async () => {
    params({});
    const survey = (id: string, title: string) => ({
      surveyId: id,
      centreId: "c1",
      title,
      trigger: "manual",
      questions: [],
      isDefault: false,
      createdAt: "2026-11-20T02:00:00.000Z",
      audienceSize: 12,
    });
    const api = fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/surveys": (o) =>
        o.url.includes("cursor=p2")
          ? { items: [survey("s2", "秋季调查")], nextCursor: null }
          : { items: [survey("s1", "冬季调查")], nextCursor: "p2" },
    });
    const go = vi.spyOn(Taro, "navigateTo").mockResolvedValue({ errMsg: "navigateTo:ok" } as never);
    render(<SurveyResultsPage />);
    await waitFor(() => byId("results-survey-s1"));
    expect(byId("results-survey-s1").textContent).toContain("手动发放");
    fireEvent.click(byId("results-more"));
    await waitFor(() => byId("results-survey-s2"));
    expect(document.getElementById("results-more")).toBeNull();
    expect(callsTo(api, "GET", "/v1/centres/c1/surveys")).toHaveLength(2);
    fireEvent.click(byId("results-survey-s2"));
    expect(go).toHaveBeenCalledWith({ url: "/staff/survey-results/index?surveyId=s2" });
  });
});
