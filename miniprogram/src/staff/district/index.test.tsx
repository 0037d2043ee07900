import Taro from "@tarojs/taro";
import { render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { byId, callsTo, fakeApi, meAs } from "../../../test-support/fake-api";
import { monthEnd, thisMonth } from "../../lib/notices";
import { saveSession } from "../../services/session";
import DistrictPage from "./index";

const DISTRICT = meAs({ id: "u_dist", roles: ["resident", "district"], districtId: "d1" });
const row = (key: string, name: string, signedPersons: number, satisfactionAverage: number | null) => ({
  key,
  name,
  signedHouseholds: Math.round(signedPersons / 2),
  signedPersons,
  contractsNew: 1,
  contractsRenewed: 0,
  contractsTerminated: 0,
  prioritySigned: Math.round(signedPersons / 3),
  prioritySigningRate: 1 / 3,
  services: {},
  servicesDelivered: 4,
  fulfilmentRate: 0.5,
  appointmentsBooked: 3,
  appointmentsCompleted: 2,
  appointmentsCancelled: 0,
  appointmentsNoShow: 0,
  noticesSent: 1,
  noticesDelivered: 1,
  noticesRead: 1,
  lectures: 0,
  lectureRegistrations: 0,
  lectureAttendance: 0,
  lowScores: 2,
  lowScoresFollowedUp: 1,
  lowScoresResolved: 1,
  satisfactionResponses: 6,
  satisfactionAverage,
});
const coverage = (key: string, overall: number, priority: number) => ({
  key,
  population: 1000,
  priorityPopulation: 300,
  overall,
  priority,
  targets: { overall: 0.75, priority: 0.85 },
  meetsTargets: { overall: overall >= 0.75, priority: priority >= 0.85 },
});
const REPORT = {
  districtId: "d1",
  districtName: "东城区",
  month: thisMonth(),
  generatedAt: "2026-12-01T02:00:00.000Z",
  centres: [row("c_a", "和平里社区卫生服务中心", 30, 4.2), row("c_b", "东四社区卫生服务中心", 12, null)],
  total: row("total", "东城区合计", 42, 4.0),
  coverage: [coverage("c_a", 0.8, 0.6), coverage("total", 0.8, 0.6)],
};
const SATISFACTION = {
  districtId: "d1",
  from: `${thisMonth()}-01`,
  to: monthEnd(thisMonth()),
  groupBy: "centre",
  groups: [
    { key: "c_a", name: "和平里社区卫生服务中心", responses: 6, average: 4.2, dimensions: {} },
    { key: "c_b", name: "东四社区卫生服务中心", responses: 2, average: null, dimensions: {} },
  ],
  total: { responses: 8, average: 4.0 },
};

describe("区卫健委 district page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u_dist", roles: ["resident", "district"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("shows a row per centre and the total, coverage against the targets and satisfaction by centre", async () => {
    const api = fakeApi({
      "GET /v1/me": () => DISTRICT,
      "GET /v1/districts/d1/reports/monthly": () => REPORT,
      "GET /v1/districts/d1/satisfaction": () => SATISFACTION,
    });
    render(<DistrictPage />);
    await waitFor(() => byId("district-report"));

    expect(byId("district-row-c_a-name").textContent).toBe("和平里社区卫生服务中心");
    expect(byId("district-row-c_b-name").textContent).toBe("东四社区卫生服务中心");
    expect(byId("district-row-total-name").textContent).toBe("全区合计");
    expect(byId("district-row-total-figures").textContent).toContain("签约 42 人");
    expect(byId("district-coverage-overall-bar-c_a-value").textContent).toBe("80.0%");
    expect(byId("district-coverage-overall-target").textContent).toBe("2035 年目标 75.0%");
    expect(byId("district-coverage-priority-target").textContent).toBe("2035 年目标 85.0%");
    expect(byId("district-coverage-priority-bar-total-label").textContent).toBe("全区");
    // The second centre has no population set: named, not drawn.
    expect(byId("district-coverage-unset").textContent).toContain("东四社区卫生服务中心");
    expect(document.getElementById("district-coverage-overall-bar-c_b")).toBeNull();
    expect(byId("district-satisfaction-chart-bar-c_a-value").textContent).toBe("4.2");
    expect(byId("district-satisfaction-chart-bar-c_b-value").textContent).toBe("样本不足（少于 5 份）");

    const report = callsTo(api, "GET", "/v1/districts/d1/reports/monthly")[0]?.url ?? "";
    expect(report).toContain(`month=${thisMonth()}`);
    expect(report).toContain("format=json");
    expect(callsTo(api, "GET", "/v1/districts/d1/satisfaction")[0]?.url).toContain("groupBy=centre");
    // Read-only: nothing but reads.
    expect(api.mock.calls.every(([o]) => (o.method ?? "GET") === "GET")).toBe(true);
  });

  it("a user without the district role sees a refusal and no district call", async () => {
    saveSession("tok", { id: "m1", roles: ["manager"] });
    const api = fakeApi({ "GET /v1/me": () => meAs({ id: "m1", roles: ["manager"], centreId: "c1" }) });
    render(<DistrictPage />);
    await waitFor(() => expect(document.body.textContent).toContain("仅区卫健委账号可以查看"));
    expect(api.mock.calls.some(([o]) => o.url.includes("/v1/districts/"))).toBe(false);
  });

  it("a failed load shows the error with a retry", async () => {
    fakeApi({
      "GET /v1/me": () => DISTRICT,
      "GET /v1/districts/d1/reports/monthly": () => ({
        statusCode: 503,
        data: { error: { code: "UNAVAILABLE", message: "服务暂时不可用" } },
      }),
      "GET /v1/districts/d1/satisfaction": () => SATISFACTION,
    });
    render(<DistrictPage />);
    await waitFor(() => byId("page-error"));
    expect(byId("page-retry")).toBeTruthy();
  });
});
