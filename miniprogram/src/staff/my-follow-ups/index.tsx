import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { FollowUpResolveForm } from "../../components/FollowUpResolveForm";
import { LoadMore } from "../../components/LoadMore";
import { EmptyState, PageShell } from "../../components/PageShell";
import { useRequireLogin } from "../../lib/auth-guard";
import { lowRatingsText } from "../../lib/manager-surveys";
import { dateTimeText } from "../../lib/notices";
import { errorMessage, useAsync, useLoadMore } from "../../lib/use-async";
import { listMyFollowUps, resolveFollowUp } from "../../services/surveys";
import type { ListResponse, MyFollowUp } from "../../services/types";

const PAGE_SIZE = 20;
const loadOpen = () => listMyFollowUps({ status: "open", limit: PAGE_SIZE });

/**
 * One assignment: the low score, who to contact and the outcome form. The API serves the masked
 * phone only (as the manager's view does), so there is no call button: the number is found in the
 * resident's record.
 */
function AssignmentCard({ item, onResolved }: { item: MyFollowUp; onResolved: () => void }) {
  const id = `my-follow-${item.responseId}`;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (body: Parameters<typeof resolveFollowUp>[1]) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await resolveFollowUp(item.responseId, body);
      void Taro.showToast({ title: "已登记并结案", icon: "success" }).catch(() => undefined);
      onResolved();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <View className="low" id={id}>
      <View className="low__head">
        <View className="low__ratings">{lowRatingsText(item.lowRatings)}</View>
        <View className="muted">{dateTimeText(item.submittedAt)}</View>
      </View>
      {item.comments.length > 0 ? (
        <View className="low__comment">{item.comments.map((c) => `“${c}”`).join(" ")}</View>
      ) : null}
      <View id={`${id}-contact`}>
        {item.contact
          ? `${item.contact.name}${item.contact.phoneMasked ? ` · ${item.contact.phoneMasked}` : ""}`
          : "居民信息已注销"}
      </View>
      <View className="muted" id={`${id}-meta`}>
        被评价团队：{item.teamName ?? "—"}；{dateTimeText(item.followUp.assignedAt)} 安排
      </View>
      <FollowUpResolveForm id={id} busy={busy} onInvalid={setError} onSubmit={(body) => void submit(body)} />
      {error ? (
        <View className="notice notice--error" id={`${id}-error`}>
          {error}
        </View>
      ) : null}
    </View>
  );
}

/** 我的回访: the open follow-ups a manager assigned to the signed-in staff member. */
export default function MyFollowUpsPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync<ListResponse<MyFollowUp>>(loadOpen, loggedIn);
  const data = state.data;
  const more = useLoadMore(state, (d) =>
    d.nextCursor
      ? listMyFollowUps({ status: "open", cursor: d.nextCursor, limit: PAGE_SIZE }).then((page) => ({
          items: [...d.items, ...page.items],
          nextCursor: page.nextCursor,
        }))
      : null,
  );
  // A resolved follow-up leaves the open list.
  const resolved = (responseId: string) => {
    if (data) state.setData({ ...data, items: data.items.filter((i) => i.responseId !== responseId) });
  };

  return (
    <PageShell
      title="我的回访"
      subtitle="管理员分配给您的低分回访：联系居民后登记结果"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="my-follow-ups"
    >
      {data && data.items.length === 0 ? (
        <EmptyState title="暂无分配给您的回访" description="管理员安排回访后会出现在这里。" />
      ) : null}
      {data && data.items.length > 0 ? (
        <View className="card" id="my-follow-ups-list">
          {data.items.map((item) => (
            <AssignmentCard key={item.responseId} item={item} onResolved={() => resolved(item.responseId)} />
          ))}
          <LoadMore
            id="my-follow-ups-more"
            hasMore={Boolean(data.nextCursor)}
            loading={more.loading}
            onMore={() => void more.more()}
          />
        </View>
      ) : null}
    </PageShell>
  );
}
