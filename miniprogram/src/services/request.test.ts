import Taro from "@tarojs/taro";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, fieldErrorsFrom, request } from "./request";
import { getToken, STORAGE_KEYS, saveSession } from "./session";

type RequestOption = Taro.request.Option;

function answer(statusCode: number, data: unknown) {
  return vi
    .spyOn(Taro, "request")
    .mockImplementation(
      () =>
        Promise.resolve({ statusCode, data, header: {}, errMsg: "request:ok" }) as ReturnType<
          typeof Taro.request
        >,
    );
}

describe("request", () => {
  beforeEach(() => {
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
    vi.spyOn(Taro, "reLaunch").mockResolvedValue({ errMsg: "reLaunch:ok" });
  });

  it("sends JSON to the same-origin /v1 path with the stored bearer token", async () => {
    // Prepare
    saveSession("tok-123", { id: "u1", roles: ["resident"] });
    const spy = answer(200, { status: "ok" });
    // Act
    const result = await request<{ status: string }>({
      method: "POST",
      path: "/v1/me/family",
      data: { a: 1 },
    });
    // Assess
    expect(result).toEqual({ status: "ok" });
    const option = spy.mock.calls[0]?.[0] as RequestOption;
    expect(option.url).toBe("/v1/me/family");
    expect(option.method).toBe("POST");
    expect(option.data).toEqual({ a: 1 });
    expect(option.header).toMatchObject({
      Authorization: "Bearer tok-123",
      "Content-Type": "application/json",
    });
  });

  it("sends no Authorization header without a token", async () => {
    const spy = answer(200, {});
    await request({ path: "/v1/config" });
    const option = spy.mock.calls[0]?.[0] as RequestOption;
    expect(option.header).not.toHaveProperty("Authorization");
  });

  it("on 401 clears the token and sends the user to the login page", async () => {
    // Prepare
    saveSession("expired", { id: "u1", roles: ["resident"] });
    answer(401, { error: { code: "UNAUTHORIZED", message: "登录已过期" } });
    // Act
    const failure = await request({ path: "/v1/me" }).catch((e: unknown) => e);
    // Assess
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(401);
    expect(getToken()).toBeNull();
    expect(window.localStorage.getItem(STORAGE_KEYS.token)).toBeNull();
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: "/pages/login/index" });
  });

  it("a 401 from a login endpoint is an answer, not an expired session", async () => {
    saveSession("keep-me", { id: "u1", roles: ["resident"] });
    answer(401, { error: { code: "INVALID_CODE", message: "登录凭证无效" } });
    await expect(request({ method: "POST", path: "/v1/auth/wechat-login", anonymous: true })).rejects.toThrow(
      "登录凭证无效",
    );
    expect(getToken()).toBe("keep-me");
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });

  it("shows the server's Chinese message in a toast and throws it with code and details", async () => {
    answer(409, {
      error: { code: "ID_ALREADY_REGISTERED", message: "该证件号码已被其他账号登记", details: [] },
    });
    const failure = (await request({ method: "PUT", path: "/v1/me/profile", data: {} }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(failure.code).toBe("ID_ALREADY_REGISTERED");
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: "该证件号码已被其他账号登记" }),
    );
  });

  it("maps a network failure to a Chinese message", async () => {
    vi.spyOn(Taro, "request").mockImplementation(
      () => Promise.reject(new Error("Failed to fetch")) as ReturnType<typeof Taro.request>,
    );
    await expect(request({ path: "/v1/health" })).rejects.toMatchObject({ code: "NETWORK_ERROR", status: 0 });
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: "网络连接失败，请检查网络后重试" }),
    );
  });
});

describe("fieldErrorsFrom", () => {
  it("maps details paths onto form fields and keeps the rest", () => {
    const error = new ApiError(400, "VALIDATION_FAILED", "请求参数有误", [
      { path: "idNumber", message: "证件号码无效" },
      { path: "body.phone", message: "手机号无效" },
      { path: "consents.healthData", message: "需要同意" },
    ]);
    const mapped = fieldErrorsFrom(error, ["name", "idNumber", "phone"] as const);
    expect(mapped.fields).toEqual({ idNumber: "证件号码无效", phone: "手机号无效" });
    expect(mapped.other).toEqual(["需要同意"]);
  });
});
