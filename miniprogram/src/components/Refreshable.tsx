import Taro from "@tarojs/taro";
import { type ReactNode, useState } from "react";
import { type AsyncState, useRefresh } from "../lib/use-async";
import { PullToRefresh } from "./ui";

/**
 * NutUI's pull-to-refresh around a page's content, the same on WeChat and in H5. A pull only
 * starts at the top of the page, so it never fights the page's own scrolling.
 */
export function Refreshable({
  state,
  children,
}: {
  state: Pick<AsyncState<unknown>, "loading" | "reload">;
  children: ReactNode;
}) {
  // Only "at the top or not" matters: keeping that, not the offset, avoids a render per scroll event.
  const [scrolled, setScrolled] = useState(false);
  Taro.usePageScroll(({ scrollTop }) => setScrolled(scrollTop > 0));
  const refresh = useRefresh(state);
  return (
    <PullToRefresh
      className="refreshable"
      scrollTop={scrolled ? 1 : 0}
      onRefresh={refresh}
      pullingText="下拉刷新"
      canReleaseText="松手刷新"
      refreshingText="正在刷新…"
      completeText="已刷新"
    >
      {children}
    </PullToRefresh>
  );
}
