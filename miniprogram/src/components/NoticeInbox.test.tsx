import { fireEvent, render } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { InboxItem } from "../services/types";
import { NoticeInbox } from "./NoticeInbox";

const byId = (id: string) => document.getElementById(id);

const item = (messageId: string, read: boolean, residentId = "r_self"): InboxItem => ({
  noticeId: `n_${messageId}`,
  messageId,
  residentId,
  kind: "lecture",
  title: `讲座 ${messageId}`,
  body: "正文",
  publishedAt: "2026-11-24T01:30:00.000Z",
  read,
});

describe("NoticeInbox", () => {
  it("shows the unread count, a dot on each unread message and who it was sent to", () => {
    const onOpen = vi.fn();
    const who: Record<string, string> = { r_self: "本人 李静", r_mum: "父母 王秀兰" };
    render(
      <NoticeInbox
        items={[item("m1", false), item("m2", true), item("m3", false, "r_mum")]}
        unread={2}
        whoOf={(id) => who[id]}
        hasMore={false}
        onMore={vi.fn()}
        onOpen={onOpen}
      />,
    );
    expect(byId("inbox-unread")?.textContent).toBe("2 条未读");
    expect(byId("inbox-m1-unread")).not.toBeNull();
    expect(byId("inbox-m2-unread")).toBeNull();
    expect(byId("inbox-m3-unread")).not.toBeNull();
    expect(byId("inbox-m3-who")?.textContent).toBe("父母 王秀兰");
    expect(byId("inbox-m1-time")?.textContent).toBe("2026-11-24 09:30");
    expect(byId("inbox-m1-kind")?.textContent).toBe("健康讲座");
    expect(byId("inbox-end")?.textContent).toBe("没有更多了");
    fireEvent.click(byId("inbox-m3") as HTMLElement);
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ messageId: "m3" }));
  });

  it("says 全部已读 at zero and offers 加载更多 while there is a next page", () => {
    const onMore = vi.fn();
    render(<NoticeInbox items={[item("m2", true)]} unread={0} hasMore onMore={onMore} onOpen={vi.fn()} />);
    expect(byId("inbox-unread")?.textContent).toBe("全部已读");
    fireEvent.click(byId("inbox-more") as HTMLElement);
    expect(onMore).toHaveBeenCalled();
  });
});

describe("NoticeInbox, one entry per notice (issue 14, item 6)", () => {
  it("shows a notice that reached two family members once, naming both, counted once", () => {
    // Prepare
    const who: Record<string, string> = { r_self: "本人 李静", r_mum: "父母 王秀兰" };
    const copy = (messageId: string, residentId: string, noticeId: string): InboxItem => ({
      ...item(messageId, false, residentId),
      noticeId,
    });
    // Act: 2 notices, 4 copies, the server counts 4 unread
    render(
      <NoticeInbox
        items={[
          copy("m1", "r_self", "n1"),
          copy("m2", "r_mum", "n1"),
          copy("m3", "r_self", "n2"),
          copy("m4", "r_mum", "n2"),
        ]}
        unread={4}
        whoOf={(id) => who[id]}
        hasMore={false}
        onMore={vi.fn()}
        onOpen={vi.fn()}
      />,
    );
    // Assess
    expect(byId("inbox-unread")?.textContent).toBe("2 条未读");
    expect(document.querySelectorAll(".inbox__item")).toHaveLength(2);
    expect(byId("inbox-m1-who")?.textContent).toBe("本人 李静、父母 王秀兰");
    expect(byId("inbox-m2")).toBeNull();
  });

  it("labels a contract result and shows it without an unread dot it could never lose", () => {
    render(
      <NoticeInbox
        items={[{ ...item("m9", false), noticeId: null, kind: "contract_result", title: "签约申请已通过" }]}
        unread={0}
        hasMore={false}
        onMore={vi.fn()}
        onOpen={vi.fn()}
      />,
    );
    expect(byId("inbox-m9-kind")?.textContent).toBe("签约结果");
    expect(byId("inbox-m9-unread")).toBeNull();
  });
});
