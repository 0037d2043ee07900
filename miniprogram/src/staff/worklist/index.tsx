import { WORKLIST_KIND_NAMES, WORKLIST_KINDS } from "@shared/schemas/care";
import { View } from "@tarojs/components";
import { useState } from "react";
import { HomeVisitActions } from "../../components/HomeVisitActions";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { isStaff } from "../../lib/contracts";
import { GROUP_LABELS, labelOf } from "../../lib/labels";
import { callPhone } from "../../lib/phone";
import { useAsync } from "../../lib/use-async";
import { revealContact, teamWorklist, type WorkItem, type WorklistKind } from "../../services/care";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";

type Filter = WorklistKind | "all";

/**
 * The team desk's 待办 (issue 16): counts per kind, each item with its action — review the
 * application, schedule or decline a home visit, record the visit's outcome, or call the resident
 * through the audited reveal (the number is shown only to dial, never listed).
 */
export default function WorklistPage() {
  const loggedIn = useRequireLogin();
  const [filter, setFilter] = useState<Filter>("all");
  const [calling, setCalling] = useState<string | null>(null);
  const state = useAsync(async () => {
    const me = await getMe();
    const teamId = me.user.teamId;
    if (!teamId || !isStaff(me.user.roles)) return null;
    return teamWorklist(teamId, filter === "all" ? {} : { kind: filter });
  }, loggedIn);
  const data = state.data;

  const choose = (value: Filter) => {
    setFilter(value);
    state.reload();
  };

  const call = async (item: WorkItem) => {
    setCalling(item.residentId);
    try {
      const { phone } = await revealContact(item.residentId, `待办：${item.kindName}`, item.kind);
      await callPhone(phone);
    } catch {
      // request() showed the server's message.
    } finally {
      setCalling(null);
    }
  };

  const total = data ? Object.values(data.counts).reduce((a, b) => a + b, 0) : 0;
  const options = [
    { value: "all" as const, label: `全部（${total}）` },
    ...WORKLIST_KINDS.map((k) => ({
      value: k,
      label: `${WORKLIST_KIND_NAMES[k]}（${data?.counts[k] ?? 0}）`,
    })),
  ];

  return (
    <PageShell
      title="待办"
      subtitle="需要团队主动跟进的居民"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="worklist"
    >
      {loggedIn && !state.loading && !data ? (
        <EmptyState title="您还没有加入家庭医生团队" description="加入团队后可查看团队待办。" />
      ) : null}
      {data ? (
        <>
          <OptionChips<Filter> idPrefix="worklist-kind" options={options} value={filter} onChange={choose} />
          {data.items.length === 0 ? <View className="card muted">暂无待办</View> : null}
          {data.items.map((item) => {
            const idPrefix = `worklist-${item.kind}-${item.residentId}${item.appointmentId ?? item.requestId ?? ""}`;
            return (
              <View key={idPrefix} className="card" id={idPrefix}>
                <View className="person-block__head">
                  <View className="person-block__name">
                    {item.name}
                    <View className="choice__badge">{item.kindName}</View>
                  </View>
                  <View className="muted">截止 {item.dueBy}</View>
                </View>
                <View>{item.reason}</View>
                {item.groups.length ? (
                  <View className="muted">{item.groups.map((g) => labelOf(GROUP_LABELS, g)).join("、")}</View>
                ) : null}
                {item.kind === "home_visit_requested" && item.requestId ? (
                  <HomeVisitActions
                    requestId={item.requestId}
                    idPrefix={idPrefix}
                    defaultDate={item.dueBy}
                    onDone={state.reload}
                  />
                ) : (
                  <View className="actions actions--row">
                    {item.kind === "review_overdue" ? (
                      <Button
                        size="small"
                        type="primary"
                        id={`${idPrefix}-review`}
                        onClick={() => navigate(PAGES.team)}
                      >
                        去审核
                      </Button>
                    ) : null}
                    {item.kind === "unrecorded_visit" ? (
                      <Button
                        size="small"
                        type="primary"
                        id={`${idPrefix}-record`}
                        onClick={() => navigate(PAGES.teamDay)}
                      >
                        登记结果
                      </Button>
                    ) : null}
                    {item.kind !== "review_overdue" && item.kind !== "unrecorded_visit" ? (
                      <Button
                        size="small"
                        fill="outline"
                        id={`${idPrefix}-service`}
                        onClick={() => navigate(PAGES.team)}
                      >
                        记录服务
                      </Button>
                    ) : null}
                    <Button
                      size="small"
                      fill="outline"
                      id={`${idPrefix}-call`}
                      loading={calling === item.residentId}
                      onClick={() => void call(item)}
                    >
                      电话联系
                    </Button>
                  </View>
                )}
              </View>
            );
          })}
        </>
      ) : null}
    </PageShell>
  );
}
