import Taro from "@tarojs/taro";
import { useEffect, useState } from "react";
import { PAGES } from "../services/routes";
import { getToken } from "../services/session";

/** True when a token is stored; otherwise sends the user to the login page and returns false. */
export function useRequireLogin(): boolean {
  const [loggedIn] = useState(() => getToken() !== null);
  useEffect(() => {
    if (!loggedIn) void Taro.redirectTo({ url: PAGES.login }).catch(() => undefined);
  }, [loggedIn]);
  return loggedIn;
}

export function navigate(url: string): void {
  void Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }).catch(() => undefined));
}
