import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../services/session";
import { CarePlan } from "./CarePlan";

type RequestOption = Taro.request.Option;

const plan = {
  residentId: "r1",
  contractId: "k1",
  startDate: "2026-12-01",
  endDate: "2027-11-30",
  items: [
    {
      item: "annual_assessment",
      name: "年度健康评估",
      done: 0,
      expected: 1,
      dueBy: "2027-11-30",
      serviceType: "annual_assessment",
    },
    {
      item: "home_visit",
      name: "上门服务",
      done: 1,
      expected: 1,
      dueBy: "2027-11-30",
      serviceType: "home_visit",
    },
  ],
};

describe("the contract card's plan", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u_res", roles: ["resident"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("lists what the year holds and sends a home-visit request with its reason", async () => {
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const [path] = option.url.split("?");
      let data: unknown = { items: [], nextCursor: null };
      if (path === "/v1/residents/r1/plan") data = plan;
      if (path === "/v1/home-visit-requests")
        data = {
          requestId: "hv1",
          residentId: "r1",
          status: "open",
          statusName: "待安排",
          declineReason: null,
          startsAt: null,
        };
      return Promise.resolve({
        statusCode: option.method === "POST" ? 201 : 200,
        data,
        header: {},
        errMsg: "request:ok",
      });
    }) as unknown as typeof Taro.request);

    render(<CarePlan residentId="r1" idPrefix="c" />);
    const row = await waitFor(() => {
      const el = document.getElementById("c-plan-annual_assessment");
      if (!el) throw new Error("no plan yet");
      return el;
    });
    expect(row.textContent).toContain("0/1，请在 2027-11-30 前完成");
    expect(document.getElementById("c-plan-annual_assessment-book")).not.toBeNull();
    expect(document.getElementById("c-plan-home_visit")?.textContent).toContain("已完成");

    fireEvent.click(document.getElementById("c-ask-home-visit") as HTMLElement);
    fireEvent.click(document.getElementById("c-home-visit-submit") as HTMLElement);
    expect(document.getElementById("c-home-visit-form")?.textContent).toContain("请填写申请原因");
    expect(api.mock.calls.some(([o]) => o.method === "POST")).toBe(false);
  });
});
