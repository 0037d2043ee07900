import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { byId, callsTo, fakeApi, meAs, typeInto } from "../../../test-support/fake-api";
import { saveSession } from "../../services/session";
import SettingsPage from "./index";

const MANAGER = meAs({ id: "m1", roles: ["resident", "manager"], centreId: "c1" });
const DEFAULTS = {
  teamCapacityHouseholds: 600,
  reviewDeadlineHours: 72,
  renewalReminderDays: [30, 14, 3],
  cancelDeadlineHours: 2,
  maxOpenBookings: 3,
  surveyExpiryDays: 14,
  crossAreaSigning: false,
  annualSurveyLeadDays: 30,
};
const settings = (over: Partial<typeof DEFAULTS>, history: unknown[] = []) => ({
  centreId: "c1",
  settings: { ...DEFAULTS, ...over },
  overridden: Object.keys(over),
  defaults: DEFAULTS,
  updatedAt: history.length ? "2026-12-01T02:00:00.000Z" : null,
  history,
});

describe("中心设置", () => {
  beforeEach(() => {
    saveSession("tok", { id: "m1", roles: ["resident", "manager"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("shows the bounds, refuses values outside them and sends only what changed", async () => {
    const api = fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/settings": () => settings({ cancelDeadlineHours: 4 }),
      "PUT /v1/centres/c1/settings": (o) =>
        settings({ cancelDeadlineHours: 4, ...(o.data as object) }, [
          {
            at: "2026-12-01T02:00:00.000Z",
            byUserId: "m1",
            changes: [{ setting: "reviewDeadlineHours", old: 72, new: 48 }],
          },
        ]),
    });
    render(<SettingsPage />);
    await waitFor(() => byId("settings-form"));
    expect(byId("settings-form").textContent).toContain("范围 1–800 户，默认 600");
    expect(byId("settings-form").textContent).toContain("范围 0–48 小时，默认 2（本中心已修改）");
    expect(byId("settings-history-empty").textContent).toBe("尚未修改，均为默认值");

    typeInto("settings-teamCapacityHouseholds", "900");
    typeInto("settings-renewalReminderDays", "30, 30");
    fireEvent.click(byId("settings-save"));
    expect(byId("settings-teamCapacityHouseholds-error").textContent).toBe("请填写 1–800 的整数");
    expect(byId("settings-renewalReminderDays-error").textContent).toBe("提醒天数不能重复");
    expect(callsTo(api, "PUT", "/v1/centres/c1/settings")).toHaveLength(0);

    typeInto("settings-teamCapacityHouseholds", "600");
    typeInto("settings-renewalReminderDays", "3，30、14");
    fireEvent.click(byId("settings-save"));
    expect(byId("settings-message").textContent).toBe("没有修改");
    expect(callsTo(api, "PUT", "/v1/centres/c1/settings")).toHaveLength(0);

    typeInto("settings-reviewDeadlineHours", "48");
    fireEvent.click(byId("settings-crossAreaSigning-yes"));
    fireEvent.click(byId("settings-save"));
    await waitFor(() => byId("settings-change-0"));
    expect(callsTo(api, "PUT", "/v1/centres/c1/settings")[0]?.data).toEqual({
      reviewDeadlineHours: 48,
      crossAreaSigning: true,
    });
    expect(byId("settings-message").textContent).toContain("只对此后的新操作生效");
    expect(byId("settings-change-0").textContent).toContain("签约审核时限：72 → 48");
  });

  it("puts the server's 400 on the field it names", async () => {
    fakeApi({
      "GET /v1/me": () => MANAGER,
      "GET /v1/centres/c1/settings": () => settings({}),
      "PUT /v1/centres/c1/settings": () => ({
        statusCode: 400,
        data: {
          error: {
            code: "VALIDATION_ERROR",
            message: "请求参数有误",
            details: [{ path: "body.maxOpenBookings", message: "超出法定范围" }],
          },
        },
      }),
    });
    render(<SettingsPage />);
    await waitFor(() => byId("settings-form"));
    typeInto("settings-maxOpenBookings", "5");
    fireEvent.click(byId("settings-save"));
    await waitFor(() => expect(byId("settings-maxOpenBookings-error").textContent).toBe("超出法定范围"));
  });

  it("refuses a user who is not a manager", async () => {
    saveSession("tok", { id: "d1", roles: ["doctor"] });
    const api = fakeApi({ "GET /v1/me": () => meAs({ id: "d1", roles: ["doctor"], centreId: "c1" }) });
    render(<SettingsPage />);
    await waitFor(() => expect(document.body.textContent).toContain("仅中心管理员可以设置"));
    expect(callsTo(api, "GET", "/v1/centres/c1/settings")).toHaveLength(0);
  });
});
