import Taro from "@tarojs/taro";
import { describe, expect, it, vi } from "vitest";
import { afterLoginGo, navigate, rememberReturn } from "./auth-guard";
import { badgeText } from "./tab-badge";

describe("navigation with the tabBar", () => {
  it("opens tab pages with switchTab and other pages on the stack", () => {
    // Prepare
    const switchTab = vi.spyOn(Taro, "switchTab").mockResolvedValue({ errMsg: "switchTab:ok" });
    const navigateTo = vi.spyOn(Taro, "navigateTo").mockResolvedValue({ errMsg: "navigateTo:ok" });
    // Act
    navigate("/pages/notices/index?from=home");
    navigate("/pages/notice/index?noticeId=n1");
    // Assess
    expect(switchTab).toHaveBeenCalledWith({ url: "/pages/notices/index" });
    expect(navigateTo).toHaveBeenCalledWith({ url: "/pages/notice/index?noticeId=n1" });
  });

  it("comes back after login to the page that asked for it, once", async () => {
    // Prepare
    const reLaunch = vi.spyOn(Taro, "reLaunch").mockResolvedValue({ errMsg: "reLaunch:ok" });
    rememberReturn("/pages/notice/index?noticeId=n1");
    // Act
    await afterLoginGo();
    await afterLoginGo();
    // Assess
    expect(reLaunch.mock.calls.map(([o]) => o.url)).toEqual([
      "/pages/notice/index?noticeId=n1",
      "/pages/index/index",
    ]);
  });

  it("never remembers the login or consent page as the destination", async () => {
    const reLaunch = vi.spyOn(Taro, "reLaunch").mockResolvedValue({ errMsg: "reLaunch:ok" });
    rememberReturn("/pages/login/index");
    await afterLoginGo();
    expect(reLaunch).toHaveBeenCalledWith({ url: "/pages/index/index" });
  });

  it("writes the unread badge as WeChat can show it", () => {
    expect(badgeText(0)).toBeNull();
    expect(badgeText(3)).toBe("3");
    expect(badgeText(120)).toBe("99+");
  });
});
