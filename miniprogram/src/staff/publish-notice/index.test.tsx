import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import PublishNoticePage from "./index";

type RequestOption = Taro.request.Option;
type Reply = { statusCode: number; data: unknown };

const SUGGESTION = {
  key: "flu",
  kind: "seasonal",
  title: "流感疫苗接种提醒",
  body: "本月起可预约接种流感疫苗。",
  groups: ["elderly"],
  reason: "秋冬流感季",
};

function fakeApi(audienceSize: number) {
  const routes: Record<string, (o: RequestOption) => Reply> = {
    "GET /v1/me": () => ({
      statusCode: 200,
      data: {
        user: { id: "d1", roles: ["resident", "doctor"], centreId: "c1", teamId: "t1" },
        profile: null,
        family: [],
      },
    }),
    "GET /v1/centres/c1/notice-suggestions": () => ({
      statusCode: 200,
      data: { items: [SUGGESTION], nextCursor: null },
    }),
    "POST /v1/notices/audience-estimate": () => ({ statusCode: 200, data: { audienceSize } }),
    "POST /v1/notices": () => ({
      statusCode: 201,
      data: { noticeId: "n1", audienceSize, status: "publishing", publishAt: "2026-12-01T10:00:00.000Z" },
    }),
  };
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const route = routes[`${option.method ?? "GET"} ${option.url.split("?")[0]}`];
    const res = route
      ? route(option)
      : { statusCode: 404, data: { error: { code: "NOT_FOUND", message: "不存在" } } };
    return Promise.resolve({ ...res, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};
const sent = (api: ReturnType<typeof fakeApi>, path: string) =>
  api.mock.calls.filter(([o]) => o.method === "POST" && o.url.split("?")[0]?.endsWith(path));

describe("publish notice page: the audience size is confirmed first (issue 14, item 8)", () => {
  beforeEach(() => {
    vi.restoreAllMocks();
    saveSession("tok", { id: "d1", roles: ["resident", "doctor"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("asks with the estimated audience, and sends nothing when the author thinks again", async () => {
    const api = fakeApi(37);
    const modal = vi.spyOn(Taro, "showModal").mockResolvedValue({ confirm: false, cancel: true, errMsg: "" });
    render(<PublishNoticePage />);
    await waitFor(() => byId("publish-suggestion-flu"));
    fireEvent.click(byId("publish-suggestion-flu"));
    fireEvent.click(byId("publish-submit"));
    await waitFor(() => expect(modal).toHaveBeenCalledTimes(1));
    expect(modal.mock.calls[0]?.[0]?.content).toContain("约 37 位签约居民（所选重点人群）");
    expect(sent(api, "/audience-estimate")[0]?.[0].data).toEqual({
      audience: { scope: "team", teamId: "t1", groups: ["elderly"] },
    });
    expect(sent(api, "/v1/notices")).toHaveLength(0);
    expect(document.getElementById("publish-success")).toBeNull();
  });

  it("publishes after the confirmation, and warns when nobody would receive it", async () => {
    const api = fakeApi(0);
    const modal = vi.spyOn(Taro, "showModal").mockResolvedValue({ confirm: true, cancel: false, errMsg: "" });
    render(<PublishNoticePage />);
    await waitFor(() => byId("publish-suggestion-flu"));
    fireEvent.click(byId("publish-suggestion-flu"));
    fireEvent.click(byId("publish-submit"));
    await waitFor(() => byId("publish-success"));
    expect(modal.mock.calls[0]?.[0]?.content).toContain("当前没有符合条件的签约居民");
    expect(sent(api, "/v1/notices")).toHaveLength(1);
  });
});
