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

describe("family page: edit and remove (issue 14, item 6)", () => {
  const MOTHER = {
    ...PROFILE,
    residentId: "r2",
    name: "王秀兰",
    idNumberMasked: "110***********002X",
    phoneMasked: null,
    relation: "parent",
    consentRecordedAt: "2025-11-23T10:00:00+08:00",
  };
  const ME = {
    "GET /v1/me": () => ({
      statusCode: 200,
      data: { user: { id: "u1", roles: ["resident"] }, profile: PROFILE, family: [MOTHER] },
    }),
  };

  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["resident"] });
  });

  it("edits name and relation, keeping the phone when none is typed", async () => {
    // Prepare
    const api = fakeApi({
      ...ME,
      "PUT /v1/me/family/r2": (o) => ({
        statusCode: 200,
        data: { ...MOTHER, ...(o.data as object) },
      }),
    });
    render(<FamilyPage />);
    await screen.findByText("王秀兰");
    // Act
    fireEvent.click(byId("family-member-r2-edit"));
    fireEvent.input(byId("family-member-r2-edit-name"), { target: { value: "王秀英" } });
    fireEvent.click(byId("family-member-r2-edit-relation-other"));
    fireEvent.click(byId("family-member-r2-save"));
    // Assess
    await waitFor(() => expect(byId("family-member-r2-name").textContent).toBe("王秀英"));
    const put = api.mock.calls.find(([o]) => o.method === "PUT")?.[0];
    expect(put?.data).toEqual({ name: "王秀英", relation: "other" });
    expect(byId("family-member-r2-relation").textContent).toBe("其他");
  });

  it("removes after the confirmation, and says in the card why a signed member cannot go", async () => {
    // Prepare
    const toast = vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
    const modal = vi
      .spyOn(Taro, "showModal")
      .mockResolvedValue({ confirm: true, cancel: false, errMsg: "ok" });
    let signed = true;
    fakeApi({
      ...ME,
      "DELETE /v1/me/family/r2": () =>
        signed
          ? {
              statusCode: 409,
              data: { error: { code: "FAMILY_MEMBER_SIGNED", message: "该家人有待审核或生效中的签约" } },
            }
          : { statusCode: 200, data: { residentId: "r2", removed: true, erased: true } },
    });
    render(<FamilyPage />);
    await screen.findByText("王秀兰");
    // Act 1: signed
    fireEvent.click(byId("family-member-r2-remove"));
    // Assess 1: one error surface, in the card
    expect((await screen.findByText("该家人有待审核或生效中的签约")).id).toBe("family-member-r2-error");
    expect(toast.mock.calls.some(([o]) => o?.title === "该家人有待审核或生效中的签约")).toBe(false);
    expect(modal.mock.calls[0]?.[0]?.title).toBe("移除王秀兰？");
    // Act 2
    signed = false;
    fireEvent.click(byId("family-member-r2-remove"));
    // Assess 2
    await waitFor(() => expect(document.getElementById("family-member-r2")).toBeNull());
    expect(await screen.findByText("还没有添加家庭成员")).not.toBeNull();
  });

  it("does nothing when the confirmation is declined", async () => {
    vi.spyOn(Taro, "showModal").mockResolvedValue({ confirm: false, cancel: true, errMsg: "ok" });
    const api = fakeApi(ME);
    render(<FamilyPage />);
    await screen.findByText("王秀兰");
    fireEvent.click(byId("family-member-r2-remove"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.mock.calls.some(([o]) => o.method === "DELETE")).toBe(false);
    expect(document.getElementById("family-member-r2")).not.toBeNull();
  });

  it("shows ALREADY_FAMILY_MEMBER under the ID number, once", async () => {
    const toast = vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
    fakeApi({
      ...ME,
      "POST /v1/me/family": () => ({
        statusCode: 409,
        data: { error: { code: "ALREADY_FAMILY_MEMBER", message: "“王秀兰”已是您的家庭成员，无需重复添加" } },
      }),
    });
    render(<FamilyPage />);
    await screen.findByText("王秀兰");
    fireEvent.click(byId("family-add"));
    fireEvent.input(byId("family-name"), { target: { value: "王秀兰" } });
    fireEvent.input(byId("family-idNumber"), { target: { value: "11010519491231002X" } });
    fireEvent.click(byId("family-relation-parent"));
    fireEvent.click(byId("family-consent"));
    fireEvent.click(byId("family-submit"));
    expect((await screen.findByText("“王秀兰”已是您的家庭成员，无需重复添加")).id).toBe(
      "family-idNumber-error",
    );
    expect(toast).not.toHaveBeenCalled();
  });
});
