import Taro from "@tarojs/taro";
import { useEffect, useRef } from "react";
import { NoticeInbox } from "../../components/NoticeInbox";
import { PageShell } from "../../components/PageShell";
import { SubscribeCard } from "../../components/SubscribeCard";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { distinctUnread } from "../../lib/notices";
import { peopleOf } from "../../lib/people";
import { showUnreadBadge } from "../../lib/tab-badge";
import { useAsync, useLoadMore } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { listMyNotices, markInboxRead } from "../../services/notices";
import { PAGES } from "../../services/routes";
import type { Inbox, InboxItem } from "../../services/types";

const PAGE_SIZE = 20;

interface InboxData extends Inbox {
  /** residentId → label, only when the account acts for family members too. */
  who: Record<string, string>;
}

async function loadInbox(): Promise<InboxData> {
  const [me, inbox] = await Promise.all([getMe(), listMyNotices({ limit: PAGE_SIZE })]);
  const people = peopleOf(me);
  const who: Record<string, string> = {};
  if (people.length > 1) {
    for (const p of people) who[p.residentId] = p.self ? `本人 ${p.name}` : `${p.relation} ${p.name}`;
  }
  return { ...inbox, who };
}

export default function NoticesPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadInbox, loggedIn);

  // Back from a notice: its read state has changed.
  Taro.useDidShow(() => {
    if (loggedIn && state.data) state.reload();
  });

  const data = state.data;
  useEffect(() => {
    if (data) showUnreadBadge(distinctUnread(data.unread, data.items));
  }, [data]);

  // Personal reminders (a renewal reminder…) are read in the list itself: once shown, they are
  // marked read, each once per visit of the page (the team's work-list follows a renewal
  // reminder's read). One at a time, silently: a failure is tried again on the next visit.
  const marked = useRef(new Set<string>());
  useEffect(() => {
    const unread = (data?.items ?? []).filter(
      (i) => !i.noticeId && !i.read && !marked.current.has(i.messageId),
    );
    if (unread.length === 0) return;
    for (const item of unread) marked.current.add(item.messageId);
    void (async () => {
      for (const item of unread) await markInboxRead(item).catch(() => marked.current.delete(item.messageId));
    })();
  }, [data]);

  Taro.useShareAppMessage(() => ({ title: "家医 · 健康讲座与健康通知", path: PAGES.notices }));

  const more = useLoadMore(state, (d) =>
    d.nextCursor
      ? listMyNotices({ limit: PAGE_SIZE, cursor: d.nextCursor }).then((page) => {
          const seen = new Set(d.items.map((i) => i.messageId));
          return {
            ...d,
            items: [...d.items, ...page.items.filter((i) => !seen.has(i.messageId))],
            nextCursor: page.nextCursor,
            unread: page.unread,
          };
        })
      : null,
  );

  const open = (item: InboxItem) => {
    // Personal reminders (no notice behind them) are read in the list itself.
    if (!item.noticeId) return;
    navigate(`${PAGES.notice}?noticeId=${encodeURIComponent(item.noticeId)}`);
  };

  return (
    <PageShell
      refresh={state}
      title="健康通知"
      subtitle="健康讲座、季节性健康提示和突发公共卫生事件通知"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="notices"
    >
      <SubscribeCard id="notices-subscribe" />
      {data ? (
        <NoticeInbox
          items={data.items}
          unread={data.unread}
          whoOf={(residentId) => data.who[residentId]}
          hasMore={!!data.nextCursor}
          loadingMore={more.loading}
          onMore={() => void more.more()}
          onOpen={open}
        />
      ) : null}
    </PageShell>
  );
}
