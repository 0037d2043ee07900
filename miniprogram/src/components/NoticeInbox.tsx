import { View } from "@tarojs/components";
import { dateTimeText, distinctUnread, groupInbox } from "../lib/notices";
import type { InboxItem } from "../services/types";
import { LoadMore } from "./LoadMore";
import { NoticeKindTag } from "./NoticeKindTag";
import { EmptyState } from "./PageShell";

export interface NoticeInboxProps {
  items: readonly InboxItem[];
  /** The server's unread count over the whole inbox (family members included). */
  unread: number;
  /** residentId → "本人" / "母亲 王秀兰", shown when the account has family members. */
  whoOf?: (residentId: string) => string | undefined;
  hasMore: boolean;
  loadingMore?: boolean;
  onMore: () => void;
  onOpen: (item: InboxItem) => void;
}

/**
 * The inbox: newest first, one entry per notice naming the family members it reached, a dot on
 * each unread one, the unread count (notices once each), 加载更多.
 */
export function NoticeInbox({
  items,
  unread,
  whoOf,
  hasMore,
  loadingMore,
  onMore,
  onOpen,
}: NoticeInboxProps) {
  const entries = groupInbox(items);
  const unreadNotices = distinctUnread(unread, items);
  return (
    <View id="inbox">
      <View className="inbox__summary" id="inbox-unread" data-unread={unreadNotices}>
        {unreadNotices > 0 ? `${unreadNotices} 条未读` : "全部已读"}
      </View>
      {items.length === 0 ? (
        <EmptyState title="暂无通知" description="签约团队发布的健康讲座和健康提醒会显示在这里。" />
      ) : null}
      {entries.map(({ item, residentIds, read }) => {
        const id = `inbox-${item.messageId}`;
        const names = residentIds.map((r) => whoOf?.(r)).filter((w): w is string => !!w);
        const who = names.length ? names.join("、") : undefined;
        return (
          <View
            key={item.messageId}
            id={id}
            className={`card inbox__item${read ? "" : " inbox__item--unread"}`}
            data-notice={item.noticeId ?? ""}
            data-read={read ? "yes" : "no"}
            onClick={() => onOpen(item)}
          >
            <View className="inbox__head">
              {read ? null : <View className="inbox__dot" id={`${id}-unread`} aria-label="未读" />}
              <View className="inbox__title" id={`${id}-title`}>
                {item.title}
              </View>
              <NoticeKindTag kind={item.kind} id={`${id}-kind`} />
            </View>
            <View className="inbox__body">{item.body}</View>
            <View className="inbox__meta">
              <View id={`${id}-time`}>{dateTimeText(item.publishedAt)}</View>
              {who ? (
                <View className="inbox__who" id={`${id}-who`}>
                  {who}
                </View>
              ) : null}
            </View>
          </View>
        );
      })}
      <LoadMore
        id="inbox-more"
        hasMore={hasMore}
        loading={!!loadingMore}
        onMore={onMore}
        endId={items.length > 0 ? "inbox-end" : undefined}
      />
    </View>
  );
}
