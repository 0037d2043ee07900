import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { PAGES } from "../services/routes";
import { getToken } from "../services/session";

/** The tabBar's pages (app.config.ts): reached with switchTab, never navigateTo/redirectTo. */
export const TAB_PAGES: readonly string[] = [PAGES.home, PAGES.appointments, PAGES.notices, PAGES.my];

const RETURN_KEY = "jiayi.returnTo";

const pathOf = (url: string) => {
  const path = url.split("?")[0] ?? url;
  return path.startsWith("/") ? path : `/${path}`;
};
export const isTabPage = (url: string) => TAB_PAGES.includes(pathOf(url));

/** The page being shown, with its query (what a login should come back to). */
export function currentUrl(): string | null {
  try {
    const router = Taro.getCurrentInstance().router;
    if (!router?.path) return null;
    const path = pathOf(router.path);
    const query = Object.entries(router.params ?? {})
      .filter(([k, v]) => v !== undefined && k !== "$taroTimestamp" && k !== "stamp")
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    return query ? `${path}?${query}` : path;
  } catch {
    return null;
  }
}

/** Remembers where the user was going, so that logging in (consent and profile included) comes back. */
export function rememberReturn(url: string | null): void {
  if (!url || url.startsWith(PAGES.login) || url.startsWith(PAGES.consent)) return;
  try {
    Taro.setStorageSync(RETURN_KEY, url);
  } catch {
    // Storage full or unavailable: the login ends on the home page instead.
  }
}

/** The remembered page (once: reading clears it). */
export function takeReturn(): string | null {
  try {
    const url: unknown = Taro.getStorageSync(RETURN_KEY);
    Taro.removeStorageSync(RETURN_KEY);
    return typeof url === "string" && url.startsWith("/") ? url : null;
  } catch {
    return null;
  }
}

/** True when a token is stored; otherwise sends the user to the login page and returns false. */
export function useRequireLogin(): boolean {
  const [loggedIn] = useState(() => getToken() !== null);
  useEffect(() => {
    if (loggedIn) return;
    rememberReturn(currentUrl());
    void Taro.redirectTo({ url: PAGES.login }).catch(() =>
      Taro.reLaunch({ url: PAGES.login }).catch(() => undefined),
    );
  }, [loggedIn]);
  return loggedIn;
}

/** Opens a page: tab pages by switchTab (their query is dropped, as WeChat requires), others on the stack. */
export function navigate(url: string): void {
  if (isTabPage(url)) {
    void Taro.switchTab({ url: pathOf(url) }).catch(() => Taro.reLaunch({ url }).catch(() => undefined));
    return;
  }
  void Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }).catch(() => undefined));
}

/** Back when there is a page to go back to, else home (a page opened from a share or a reload). */
export function goBackOrHome(): void {
  let depth = 0;
  try {
    depth = Taro.getCurrentPages().length;
  } catch {
    depth = 0;
  }
  if (depth > 1) void Taro.navigateBack().catch(() => navigate(PAGES.home));
  else navigate(PAGES.home);
}

/** Where a fresh login goes: the remembered page, else home. */
export async function afterLoginGo(): Promise<void> {
  const back = takeReturn();
  if (back && isTabPage(back)) {
    await Taro.reLaunch({ url: pathOf(back) });
    return;
  }
  await Taro.reLaunch({ url: back ?? PAGES.home });
}
