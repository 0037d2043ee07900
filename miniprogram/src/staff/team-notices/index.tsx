import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { LoadMore } from "../../components/LoadMore";
import { NoticeKindTag } from "../../components/NoticeKindTag";
import { EmptyState, PageShell } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { isStaff } from "../../lib/contracts";
import { dateTimeText, TARGET_GROUP_LABELS } from "../../lib/notices";
import { errorMessage, useAsync, useLoadMore } from "../../lib/use-async";
import { getMe } from "../../services/me";
import { listCentreNotices, noticeStats } from "../../services/notices";
import { PAGES } from "../../services/routes";
import type { Notice, NoticeStats } from "../../services/types";

const PAGE_SIZE = 20;

interface Row {
  notice: Notice;
  /** Null when the stats could not be read. */
  stats: NoticeStats | null;
}

interface ListData {
  centreId: string | null;
  /** Staff see their team's notices; managers the whole centre's. */
  teamId: string | null;
  allowed: boolean;
  rows: Row[];
  cursor: string | null;
}

/** Reads one page of the centre's notices, keeps the caller's, and reads their counters (O(1) each). */
async function readPage(centreId: string, teamId: string | null, cursor: string | null) {
  const page = await listCentreNotices(centreId, { limit: PAGE_SIZE, cursor });
  const mine = page.items.filter((n) => teamId === null || n.teamId === teamId);
  const rows = await Promise.all(
    mine.map(async (notice) => ({
      notice,
      stats: await noticeStats(notice.noticeId).catch(() => null),
    })),
  );
  return { rows, cursor: page.nextCursor };
}

async function loadList(): Promise<ListData> {
  const me = await getMe();
  const centreId = me.user.centreId ?? null;
  const manager = me.user.roles.includes("manager");
  const staffTeam = isStaff(me.user.roles) ? (me.user.teamId ?? null) : null;
  const allowed = !!centreId && (manager || !!staffTeam);
  if (!allowed || !centreId) return { centreId, teamId: staffTeam, allowed, rows: [], cursor: null };
  const teamId = manager ? null : staffTeam;
  const first = await readPage(centreId, teamId, null);
  return { centreId, teamId, allowed, ...first };
}

const STAT_CELLS: { key: keyof NoticeStats; label: string }[] = [
  { key: "audienceSize", label: "受众" },
  { key: "delivered", label: "送达" },
  { key: "read", label: "已读" },
  { key: "registered", label: "报名" },
  { key: "attended", label: "签到" },
  { key: "pushed", label: "推送" },
];

export default function TeamNoticesPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadList, loggedIn);
  const [refreshing, setRefreshing] = useState<string | null>(null);
  const data = state.data;

  Taro.useDidShow(() => {
    if (loggedIn && data) state.reload();
  });

  const more = useLoadMore(state, (d) =>
    d.centreId && d.cursor
      ? readPage(d.centreId, d.teamId, d.cursor).then((page) => {
          const seen = new Set(d.rows.map((r) => r.notice.noticeId));
          return {
            ...d,
            rows: [...d.rows, ...page.rows.filter((r) => !seen.has(r.notice.noticeId))],
            cursor: page.cursor,
          };
        })
      : null,
  );

  const refreshStats = async (noticeId: string) => {
    if (!data || refreshing) return;
    setRefreshing(noticeId);
    try {
      const stats = await noticeStats(noticeId);
      state.setData({
        ...data,
        rows: data.rows.map((r) => (r.notice.noticeId === noticeId ? { ...r, stats } : r)),
      });
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: "none" }).catch(() => undefined);
    } finally {
      setRefreshing(null);
    }
  };

  return (
    <PageShell
      refresh={state}
      title="通知与讲座"
      subtitle="已发布和定时发布的通知，送达、阅读、报名和签到情况"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="team-notices"
    >
      {data && !data.allowed ? (
        <EmptyState title="您没有查看通知统计的权限" description="团队成员和中心管理员可以查看。" />
      ) : null}
      {data?.allowed ? (
        <>
          <View className="actions">
            <Button
              block
              type="primary"
              id="team-notices-publish"
              onClick={() => navigate(PAGES.publishNotice)}
            >
              发布新通知
            </Button>
          </View>
          {data.rows.length === 0 ? (
            <EmptyState
              title="还没有发布过通知"
              description="发布健康讲座或季节性健康提示后，统计会显示在这里。"
            />
          ) : null}
          {data.rows.map(({ notice, stats }) => {
            const id = `tn-${notice.noticeId}`;
            const groups = notice.audience.groups ?? [];
            return (
              <View key={notice.noticeId} className="card" id={id} data-status={notice.status}>
                <View className="inbox__head">
                  <View className="inbox__title" id={`${id}-title`}>
                    {notice.title}
                  </View>
                  <NoticeKindTag kind={notice.kind} />
                </View>
                <View className="muted">
                  {notice.status === "scheduled" ? "定时发布 " : "发布于 "}
                  {dateTimeText(notice.publishAt)} · {notice.audience.scope === "team" ? "本团队" : "全中心"}
                  {groups.length ? ` · ${groups.map((g) => TARGET_GROUP_LABELS[g]).join("、")}` : ""}
                </View>
                {notice.lecture ? (
                  <View className="muted" id={`${id}-lecture`}>
                    讲座：{dateTimeText(notice.lecture.startsAt)} · {notice.lecture.venue} · 名额{" "}
                    {notice.lecture.capacity}
                  </View>
                ) : null}
                {stats ? (
                  <View className="stats" id={`${id}-stats`}>
                    {STAT_CELLS.filter(
                      (c) => notice.lecture || (c.key !== "registered" && c.key !== "attended"),
                    ).map((c) => (
                      <View key={c.key} className="stats__cell">
                        <View className="stats__value" id={`${id}-stat-${c.key}`}>
                          {stats[c.key]}
                        </View>
                        <View className="stats__label">{c.label}</View>
                      </View>
                    ))}
                  </View>
                ) : (
                  <View className="muted" id={`${id}-stats-none`}>
                    统计暂不可用
                  </View>
                )}
                {stats && stats.pushRefused > 0 ? (
                  <View className="muted">{stats.pushRefused} 人未授权微信推送，仅在收件箱可见</View>
                ) : null}
                {notice.lecture && notice.status === "published" ? (
                  <Button
                    type="primary"
                    fill="outline"
                    id={`${id}-check-in`}
                    onClick={() =>
                      navigate(`${PAGES.checkIn}?noticeId=${encodeURIComponent(notice.noticeId)}`)
                    }
                  >
                    现场签到
                  </Button>
                ) : null}
                <Button
                  fill="none"
                  size="small"
                  id={`${id}-refresh`}
                  loading={refreshing === notice.noticeId}
                  onClick={() => void refreshStats(notice.noticeId)}
                >
                  刷新统计
                </Button>
              </View>
            );
          })}
          <LoadMore
            id="team-notices-more"
            hasMore={!!data.cursor}
            loading={more.loading}
            onMore={() => void more.more()}
          />
        </>
      ) : null}
    </PageShell>
  );
}
