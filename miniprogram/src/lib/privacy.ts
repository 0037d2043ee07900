import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { isWeapp } from "./platform";

/**
 * WeChat's privacy gate (onNeedPrivacyAuthorization): the first call of an API that touches
 * personal data (scanCode's camera, the clipboard, …) pauses until the user agrees in our own
 * dialog. The listener is registered once at app start; the dialog (PrivacyPopup, in every page's
 * shell) shows while a request is pending and answers it through `agreePrivacy` / `declinePrivacy`.
 */
type Resolve = (option: { event: "exposureAuthorization" | "agree" | "disagree"; buttonId?: string }) => void;

/** The id of the agree button WeChat checks was tapped (`open-type="agreePrivacyAuthorization"`). */
export const PRIVACY_AGREE_BUTTON_ID = "privacy-agree";

let pending: { resolve: Resolve; referrer: string } | null = null;
const listeners = new Set<(referrer: string | null) => void>();
const notify = () => {
  for (const listener of listeners) listener(pending?.referrer ?? null);
};

/** Registers the WeChat listener (app start; weapp only, older base libraries lack the API). */
export function installPrivacyGate(): void {
  if (!isWeapp() || typeof Taro.onNeedPrivacyAuthorization !== "function") return;
  Taro.onNeedPrivacyAuthorization((resolve, eventInfo) => {
    // A second request while the dialog is up: the earlier one is declined, the new one shown.
    pending?.resolve({ event: "disagree" });
    pending = { resolve: resolve as Resolve, referrer: eventInfo?.referrer ?? "" };
    notify();
  });
}

/** Tells WeChat the dialog is on screen (it counts exposures before the answer). */
export function privacyShown(): void {
  pending?.resolve({ event: "exposureAuthorization" });
}

export function agreePrivacy(): void {
  pending?.resolve({ event: "agree", buttonId: PRIVACY_AGREE_BUTTON_ID });
  pending = null;
  notify();
}

export function declinePrivacy(): void {
  pending?.resolve({ event: "disagree" });
  pending = null;
  notify();
}

/** The referrer of the pending request (e.g. "scanCode"), or null when none is pending. */
export function usePrivacyRequest(): string | null {
  const [referrer, setReferrer] = useState<string | null>(pending?.referrer ?? null);
  useEffect(() => {
    listeners.add(setReferrer);
    setReferrer(pending?.referrer ?? null);
    return () => {
      listeners.delete(setReferrer);
    };
  }, []);
  return referrer;
}
