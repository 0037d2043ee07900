import Taro from "@tarojs/taro";
import { render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveSession } from "../../services/session";
import NoticesPage from "./index";

type RequestOption = Taro.request.Option;

const message = (messageId: string, extra: Record<string, unknown>) => ({
  noticeId: null,
  messageId,
  residentId: "r_self",
  kind: "renewal_reminder",
  title: "家庭医生签约将于 30 天后到期",
  body: "到期后将自动续约一年。",
  publishedAt: "2026-12-01T00:10:00.000Z",
  read: false,
  ...extra,
});

describe("notices page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["resident"] });
  });

  it("marks a personal reminder read once it is shown (the list is where it is read), and leaves notices to their page", async () => {
    const api = vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const [path] = option.url.split("?");
      let data: unknown = { items: [], nextCursor: null };
      if (path === "/v1/me") data = { user: { id: "u1", roles: ["resident"] }, profile: null, family: [] };
      if (path === "/v1/me/notices")
        data = {
          items: [
            message("m_reminder", {}),
            message("m_old", { read: true, publishedAt: "2026-11-17T00:10:00.000Z" }),
            message("m_notice", { noticeId: "n1", kind: "education", title: "冬季防跌倒" }),
          ],
          nextCursor: null,
          unread: 1,
        };
      if (path === "/v1/me/inbox/m_reminder/read") data = message("m_reminder", { read: true });
      return Promise.resolve({ statusCode: 200, data, header: {}, errMsg: "request:ok" });
    }) as unknown as typeof Taro.request);

    render(<NoticesPage />);
    await waitFor(() =>
      expect(api.mock.calls.some(([o]) => o.url === "/v1/me/inbox/m_reminder/read")).toBe(true),
    );
    const marks = api.mock.calls.map(([o]) => o).filter((o) => o.url.startsWith("/v1/me/inbox/"));
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({
      method: "POST",
      data: { residentId: "r_self", publishedAt: "2026-12-01T00:10:00.000Z" },
    });
    // The notice stays unread until opened (markNoticeRead on its page).
    expect(document.getElementById("inbox-m_notice")?.getAttribute("data-read")).toBe("no");
  });
});
