import Taro from "@tarojs/taro";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import FamilyPage from "./index";

type RequestOption = Taro.request.Option;

const PROFILE = {
  residentId: "r1",
  name: "李建国",
  idType: "resident_id_card",
  idNumberMasked: "110***********0015",
  phoneMasked: "138****5678",
  birthDate: "1970-01-01",
  sex: "male",
  age: 55,
  groups: [],
  declaredGroups: [],
};

function fakeApi(handlers: Record<string, (option: RequestOption) => { statusCode: number; data: unknown }>) {
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const handler = handlers[`${option.method ?? "GET"} ${option.url}`];
    const res = handler
      ? handler(option)
      : { statusCode: 404, data: { error: { code: "NOT_FOUND", message: "不存在" } } };
    return Promise.resolve({ ...res, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe("family page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["resident"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("requires the consent tick, then adds the member with the recorded consent", async () => {
    // Prepare
    const api = fakeApi({
      "GET /v1/me": () => ({
        statusCode: 200,
        data: { user: { id: "u1", roles: ["resident"] }, profile: PROFILE, family: [] },
      }),
      "POST /v1/me/family": () => ({
        statusCode: 201,
        data: {
          ...PROFILE,
          residentId: "r2",
          name: "李秀英",
          idNumberMasked: "110***********002X",
          phoneMasked: null,
          relation: "parent",
          consentRecordedAt: "2025-11-23T10:00:00+08:00",
        },
      }),
    });
    render(<FamilyPage />);
    await screen.findByText("还没有添加家庭成员");
    fireEvent.click(byId("family-add"));
    fireEvent.input(byId("family-name"), { target: { value: "李秀英" } });
    fireEvent.input(byId("family-idNumber"), { target: { value: "11010519491231002X" } });
    fireEvent.click(byId("family-relation-parent"));

    // Act 1: no consent tick
    fireEvent.click(byId("family-submit"));
    // Assess 1
    expect((await screen.findByText("须确认已获得其本人或监护人同意")).id).toBe("family-consent-error");
    expect(api.mock.calls.some(([o]) => o.method === "POST")).toBe(false);

    // Act 2
    fireEvent.click(byId("family-consent"));
    fireEvent.click(byId("family-submit"));
    // Assess 2
    await waitFor(() => expect(document.getElementById("family-member-r2")).not.toBeNull());
    const post = api.mock.calls.find(([o]) => o.method === "POST")?.[0];
    expect(post?.data).toEqual({
      name: "李秀英",
      idType: "resident_id_card",
      idNumber: "11010519491231002X",
      relation: "parent",
      consent: { confirmed: true },
    });
    expect(byId("family-member-r2").textContent).toContain("父母");
  });
});
