import { View } from "@tarojs/components";
import { useState } from "react";
import { FollowUpResolveForm } from "../../components/FollowUpResolveForm";
import { FormField } from "../../components/FormField";
import { LoadMore } from "../../components/LoadMore";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { useRequireLogin } from "../../lib/auth-guard";
import { lowRatingsText, OUTCOME_LABELS } from "../../lib/manager-surveys";
import { dateTimeText } from "../../lib/notices";
import { errorMessage, useAsync, useLoadMore } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { listStaff, type StaffMember } from "../../services/staff";
import { assignFollowUp, listLowScores, resolveFollowUp } from "../../services/surveys";
import type { FollowUp, LowScore } from "../../services/types";

interface FollowUpData {
  centreId: string | null;
  me: string;
  staff: StaffMember[];
  items: LowScore[];
  cursor: string | null;
}

async function loadFollowUps(): Promise<FollowUpData> {
  const me = await getMe();
  const centreId = me.user.roles.includes("manager") ? (me.user.centreId ?? null) : null;
  if (!centreId) return { centreId, me: me.user.id, staff: [], items: [], cursor: null };
  const [staff, page] = await Promise.all([listStaff(centreId), listLowScores(centreId, { limit: 20 })]);
  return { centreId, me: me.user.id, staff: staff.items, items: page.items, cursor: page.nextCursor };
}

/** One low score: anonymous without consent; with consent, who it is, assignment and the outcome. */
function LowScoreCard({
  item,
  me,
  staff,
  onChange,
}: {
  item: LowScore;
  me: string;
  staff: StaffMember[];
  onChange: (followUp: FollowUp) => void;
}) {
  const id = `follow-${item.responseId}`;
  const [assignee, setAssignee] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const f = item.followUp;
  // Someone outside the rated team, or the manager themselves (the server checks again).
  const eligible = staff.filter((s) => s.userId !== me && (!item.teamId || s.teamId !== item.teamId));
  const nameOf = (userId: string) =>
    userId === me ? "我" : (staff.find((s) => s.userId === userId)?.name ?? userId);

  const run = async (call: () => Promise<FollowUp>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onChange(await call());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const assign = () => {
    if (!assignee) return setError("请选择回访人");
    void run(() => assignFollowUp(item.responseId, assignee));
  };
  return (
    <View className="low" id={id} data-status={f?.status ?? (item.contactConsent ? "open" : "anonymous")}>
      <View className="low__head">
        <View className="low__ratings">{lowRatingsText(item.lowRatings)}</View>
        <View className="muted">{dateTimeText(item.submittedAt)}</View>
      </View>
      {item.comments.length > 0 ? (
        <View className="low__comment">{item.comments.map((c) => `“${c}”`).join(" ")}</View>
      ) : null}
      {!item.contactConsent || !item.contact ? (
        <View className="muted" id={`${id}-anonymous`}>
          居民未同意联系：匿名，仅计入统计
        </View>
      ) : (
        <View id={`${id}-contact`}>
          {item.contact.name}
          {item.contact.phoneMasked ? ` · ${item.contact.phoneMasked}` : ""}
        </View>
      )}

      {item.contactConsent && !f ? (
        <View id={`${id}-assign`}>
          <FormField id={`${id}-assignee`} label="安排回访人" hint="须为被评价团队以外的成员，或由您本人回访">
            <OptionChips<string>
              idPrefix={`${id}-assignee`}
              options={[
                { value: me, label: "由我回访" },
                ...eligible.map((s) => ({ value: s.userId, label: s.name })),
              ]}
              value={assignee}
              onChange={setAssignee}
            />
          </FormField>
          <Button size="small" type="primary" id={`${id}-assign-submit`} loading={busy} onClick={assign}>
            安排回访
          </Button>
        </View>
      ) : null}

      {f?.status === "assigned" ? (
        <View id={`${id}-resolve`}>
          <View className="muted" id={`${id}-assigned`}>
            回访人：{nameOf(f.assigneeId)}（{dateTimeText(f.assignedAt)} 安排）
          </View>
          <FollowUpResolveForm
            id={id}
            busy={busy}
            onInvalid={setError}
            onSubmit={(body) => void run(() => resolveFollowUp(item.responseId, body))}
          />
        </View>
      ) : null}

      {f?.status === "closed" ? (
        <View className="notice notice--info" id={`${id}-closed`}>
          已结案：{f.outcome ? OUTCOME_LABELS[f.outcome] : ""}（{nameOf(f.closedBy ?? f.assigneeId)}
          {f.closedAt ? `，${dateTimeText(f.closedAt)}` : ""}）{f.issue ? `；问题：${f.issue}` : ""}
          {f.action ? `；措施：${f.action}` : ""}
        </View>
      ) : null}

      {error ? (
        <View className="notice notice--error" id={`${id}-error`}>
          {error}
        </View>
      ) : null}
    </View>
  );
}

export default function FollowUpsPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadFollowUps, loggedIn);
  const data = state.data;
  const more = useLoadMore(state, (d) =>
    d.centreId && d.cursor
      ? listLowScores(d.centreId, { cursor: d.cursor, limit: 20 }).then((page) => ({
          ...d,
          items: [...d.items, ...page.items],
          cursor: page.nextCursor,
        }))
      : null,
  );
  const changed = (responseId: string, followUp: FollowUp) => {
    if (!data) return;
    state.setData({
      ...data,
      items: data.items.map((i) => (i.responseId === responseId ? { ...i, followUp } : i)),
    });
  };

  return (
    <PageShell
      title="低分回访"
      subtitle="≤ 2 星的评价：居民同意联系的，安排回访并登记结果"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="follow-ups"
    >
      {data && !data.centreId ? (
        <EmptyState title="仅中心管理员可以查看" description="请使用中心管理员账号登录。" />
      ) : null}
      {data?.centreId && data.items.length === 0 ? (
        <EmptyState title="暂无低分评价" description="居民给出 2 星及以下评分时会出现在这里。" />
      ) : null}
      {data?.centreId && data.items.length > 0 ? (
        <View className="card" id="follow-ups-list">
          {data.items.map((item) => (
            <LowScoreCard
              key={item.responseId}
              item={item}
              me={data.me}
              staff={data.staff}
              onChange={(f) => changed(item.responseId, f)}
            />
          ))}
          <LoadMore
            id="follow-ups-more"
            hasMore={Boolean(data.cursor)}
            loading={more.loading}
            onMore={() => void more.more()}
          />
        </View>
      ) : null}
    </PageShell>
  );
}
