import Taro from "@tarojs/taro";
import { act, fireEvent, render, waitFor } from "@testing-library/react";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { agreePrivacy, installPrivacyGate } from "../lib/privacy";
import { PrivacyPopup } from "./PrivacyPopup";

/** WeChat's privacy gate exists only on weapp: run as there, with WeChat's listener API stubbed. */
vi.mock("../lib/platform", () => ({ isWeapp: () => true }));

type Listener = Parameters<typeof Taro.onNeedPrivacyAuthorization>[0];
let listener: Listener | undefined;

beforeAll(() => {
  Taro.onNeedPrivacyAuthorization = (callback: Listener) => {
    listener = callback;
  };
  installPrivacyGate();
});

/** What WeChat does when a gated API is called: asks the listener, and waits for `resolve`. */
function wechatAsks(referrer: string) {
  const resolve = vi.fn();
  if (!listener) throw new Error("the privacy gate did not register with WeChat");
  const ask = listener;
  act(() => ask(resolve, { referrer }));
  return resolve;
}

const popup = () => document.getElementById("privacy-popup");

describe("PrivacyPopup", () => {
  it("stays hidden until WeChat asks, then names the purpose and reports its exposure", async () => {
    render(<PrivacyPopup />);
    expect(popup()).toBeNull();

    const resolve = wechatAsks("scanCode");
    await waitFor(() => expect(popup()).not.toBeNull());
    expect(popup()?.textContent).toContain("使用摄像头扫描邀请二维码");
    expect(resolve).toHaveBeenCalledWith({ event: "exposureAuthorization" });
    // NutUI's Popup holds it: an overlay tap does not answer WeChat.
    const overlay = document.querySelector(".nut-overlay");
    if (!overlay) throw new Error("no NutUI overlay");
    fireEvent.click(overlay);
    expect(popup()).not.toBeNull();

    fireEvent.click(document.getElementById("privacy-decline") as HTMLElement);
    expect(resolve).toHaveBeenLastCalledWith({ event: "disagree" });
    await waitFor(() => expect(popup()).toBeNull());
  });

  it("agreeing answers with the id of WeChat's agree button; a second request declines the first", async () => {
    render(<PrivacyPopup />);
    const first = wechatAsks("setClipboardData");
    const second = wechatAsks("makePhoneCall");
    expect(first).toHaveBeenLastCalledWith({ event: "disagree" });
    await waitFor(() => expect(popup()?.textContent).toContain("拨打家庭医生团队电话"));

    // WeChat fires agreeprivacyauthorization on its own button only (no H5 equivalent), and the
    // button's handler is agreePrivacy: call it as that event would.
    expect(document.getElementById("privacy-agree")?.textContent).toContain("同意并继续");
    act(() => agreePrivacy());
    expect(second).toHaveBeenLastCalledWith({ event: "agree", buttonId: "privacy-agree" });
    await waitFor(() => expect(popup()).toBeNull());
  });
});
