import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { LinkCell } from "../../components/LinkCell";
import { NoTeamState, PageShell } from "../../components/PageShell";
import { Tabs } from "../../components/ui";
import { WorklistCounts, WorklistLink, worklistTotal } from "../../components/WorklistLink";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { PAGES } from "../../services/routes";
import { ActiveList } from "./ActiveList";
import { ContractSearch } from "./ContractSearch";
import { PendingList } from "./PendingList";
import { TerminatingList } from "./TerminatingList";
import { useTeam } from "./use-team";

type Tab = "pending" | "active" | "terminating" | "worklist";

export default function TeamPage() {
  const loggedIn = useRequireLogin();
  const desk = useTeam(loggedIn);
  const { state, data } = desk;
  const [tab, setTab] = useState<Tab>("pending");
  const [searching, setSearching] = useState(false);

  Taro.useDidShow(() => {
    if (loggedIn && state.data) state.reload();
  });

  const overdueCount = data?.pending.filter((c) => c.overdue).length ?? 0;
  const tabs = [
    {
      value: "pending" as const,
      label: `待审核（${data?.pending.length ?? 0}${data?.pendingCursor ? "+" : ""}）`,
    },
    {
      value: "active" as const,
      label: `已签约（${data?.active.length ?? 0}${data?.activeCursor ? "+" : ""}）`,
    },
    { value: "terminating" as const, label: `解约中（${data?.terminating.length ?? 0}）` },
    { value: "worklist" as const, label: `待办（${worklistTotal(data?.worklist) ?? 0}）` },
  ];

  const noTeam = data && (!data.teamId || !data.staff);

  return (
    <PageShell
      refresh={state}
      title="团队工作台"
      subtitle="审核签约、登记履约服务、办理解约；管理预约、排班与健康通知"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="team"
    >
      {noTeam ? <NoTeamState /> : null}
      {data?.teamId && !noTeam ? (
        <>
          {overdueCount > 0 ? (
            <View className="notice notice--error" id="team-overdue-summary">
              有 {overdueCount} 份申请超过72小时未审核，请尽快处理。
            </View>
          ) : null}
          <View className="card cells" id="team-links">
            <WorklistLink teamId={data.teamId} counts={data.worklist} />
            <LinkCell
              id="team-to-day"
              title="今日预约"
              description="按时间登记签到、完成和爽约"
              onClick={() => navigate(PAGES.teamDay)}
            />
            <LinkCell
              id="team-to-schedule"
              title="发布排班"
              description="按日期和星期生成可预约的号源"
              onClick={() => navigate(PAGES.schedule)}
            />
            <LinkCell
              id="team-to-publish-notice"
              title="发布通知"
              description="健康讲座、季节性提示，发给本团队签约居民"
              onClick={() => navigate(PAGES.publishNotice)}
            />
            <LinkCell
              id="team-to-notices"
              title="通知统计"
              description="送达、已读、报名、签到、推送"
              onClick={() => navigate(PAGES.teamNotices)}
            />
            <LinkCell
              id="team-to-my-follow-ups"
              title="我的回访"
              description="分配给您的低分回访：联系居民并登记结果"
              onClick={() => navigate(PAGES.myFollowUps)}
            />
          </View>
          <ContractSearch teamId={data.teamId} onActive={setSearching} />
          {searching ? null : (
            <>
              {/* The strip only: the chosen list renders below, so the other lists are not in the page. */}
              <Tabs
                id="team-tabs"
                className="tabs-strip"
                name="team-tabs"
                value={tab}
                onChange={(value) => setTab(value as Tab)}
              >
                {tabs.map((t) => (
                  <Tabs.TabPane key={t.value} value={t.value} title={t.label} />
                ))}
              </Tabs>
              {desk.moreError ? (
                <View className="notice notice--error" id="team-more-error">
                  {desk.moreError}
                </View>
              ) : null}
              {tab === "pending" ? (
                <PendingList desk={desk} onMore={() => void desk.loadMore("pending")} />
              ) : null}
              {tab === "active" ? (
                <ActiveList desk={desk} onMore={() => void desk.loadMore("active")} />
              ) : null}
              {tab === "worklist" ? (
                data.worklist ? (
                  <WorklistCounts counts={data.worklist} />
                ) : (
                  <View className="notice notice--error" id="team-worklist-error" onClick={state.reload}>
                    待办暂时无法读取（点此重试）
                  </View>
                )
              ) : null}
              {tab === "terminating" ? <TerminatingList desk={desk} /> : null}
            </>
          )}
        </>
      ) : null}
    </PageShell>
  );
}
