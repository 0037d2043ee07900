import Taro from "@tarojs/taro";
import { act, fireEvent, render } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { isElderMode, reloadElderMode, setElderMode } from "../lib/elder-mode";
import HomePage from "../pages/index/index";
import { STORAGE_KEYS } from "../services/session";
import { PageShell } from "./PageShell";

function shell(): HTMLElement {
  const el = document.querySelector(".page-shell");
  if (!(el instanceof HTMLElement)) throw new Error("no .page-shell");
  return el;
}

describe("elder mode", () => {
  beforeEach(() => {
    window.localStorage.clear();
    reloadElderMode();
    vi.spyOn(Taro, "navigateTo").mockResolvedValue({ errMsg: "navigateTo:ok" });
  });

  it("toggling the switch on the home page adds the root class and persists the setting", () => {
    render(<HomePage />);
    expect(shell().classList.contains("elder-mode")).toBe(false);

    const row = document.getElementById("home-elder-switch-row");
    if (!row) throw new Error("no switch row");
    fireEvent.click(row);

    expect(shell().classList.contains("elder-mode")).toBe(true);
    expect(Taro.getStorageSync(STORAGE_KEYS.elderMode)).toBe(true);

    fireEvent.click(row);
    expect(shell().classList.contains("elder-mode")).toBe(false);
    expect(Taro.getStorageSync(STORAGE_KEYS.elderMode)).toBe(false);
  });

  it("every mounted page follows the setting, and it survives a restart", () => {
    render(
      <>
        <PageShell title="甲">a</PageShell>
        <PageShell title="乙">b</PageShell>
      </>,
    );
    act(() => setElderMode(true));
    const shells = document.querySelectorAll(".page-shell");
    expect(shells).toHaveLength(2);
    for (const el of shells) expect(el.classList.contains("elder-mode")).toBe(true);

    reloadElderMode();
    expect(isElderMode()).toBe(true);
  });

  it("shows loading and error states with a retry", () => {
    const retry = vi.fn();
    const { rerender } = render(<PageShell loading>内容</PageShell>);
    expect(document.getElementById("page-loading")).not.toBeNull();
    rerender(
      <PageShell error="网络连接失败" onRetry={retry}>
        内容
      </PageShell>,
    );
    expect(document.getElementById("page-error")?.textContent).toContain("网络连接失败");
    const button = document.getElementById("page-retry");
    if (!button) throw new Error("no retry button");
    fireEvent.click(button);
    expect(retry).toHaveBeenCalledOnce();
  });
});
