import Taro from "@tarojs/taro";

/** The 消息 tab's position in app.config.ts tabBar.list. */
export const INBOX_TAB_INDEX = 2;

/** The text of the unread badge: nothing at 0, "99+" beyond 99 (the badge holds few characters). */
export function badgeText(unread: number): string | null {
  if (!(unread > 0)) return null;
  return unread > 99 ? "99+" : String(unread);
}

/**
 * Shows the unread count on the 消息 tab. Called by the tab pages after they load the inbox; on a
 * page without the tabBar WeChat answers with an error, which changes nothing.
 */
export function showUnreadBadge(unread: number): void {
  const text = badgeText(unread);
  const done = text
    ? Taro.setTabBarBadge({ index: INBOX_TAB_INDEX, text })
    : Taro.removeTabBarBadge({ index: INBOX_TAB_INDEX });
  void Promise.resolve(done).catch(() => undefined);
}
