import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { ContractHistory } from "../../components/ContractHistory";
import { ContractSummary } from "../../components/ContractSummary";
import { FormField } from "../../components/FormField";
import { LinkCell } from "../../components/LinkCell";
import { OptionChips } from "../../components/OptionChips";
import { EmptyState, PageShell } from "../../components/PageShell";
import { RecordServiceForm } from "../../components/RecordServiceForm";
import { TerminationForm } from "../../components/TerminationForm";
import { Button, Input } from "../../components/ui";
import { WorklistCounts, WorklistLink, worklistTotal } from "../../components/WorklistLink";
import { navigate, useRequireLogin } from "../../lib/auth-guard";
import { isStaff } from "../../lib/contracts";
import { errorMessage, useAsync } from "../../lib/use-async";
import { teamWorklist, type Worklist } from "../../services/care";
import {
  approveContract,
  confirmTermination,
  listTeamContracts,
  rejectContract,
  requestTermination,
} from "../../services/contracts";
import { getMe } from "../../services/me";
import { PAGES } from "../../services/routes";
import type { Contract } from "../../services/types";

type Tab = "pending" | "active" | "terminating" | "worklist";
const PAGE_SIZE = 10;

interface TeamData {
  teamId: string | null;
  staff: boolean;
  pending: Contract[];
  pendingCursor: string | null;
  active: Contract[];
  activeCursor: string | null;
  terminating: Contract[];
  /** Open work-list items per kind (the 待办 tab's badges); null when they could not be read. */
  worklist: Worklist["counts"] | null;
}

async function loadTeam(): Promise<TeamData> {
  const me = await getMe();
  const teamId = me.user.teamId ?? null;
  const staff = isStaff(me.user.roles);
  if (!teamId || !staff) {
    return {
      teamId,
      staff,
      pending: [],
      pendingCursor: null,
      active: [],
      activeCursor: null,
      terminating: [],
      worklist: null,
    };
  }
  const [pending, active, terminating, worklist] = await Promise.all([
    listTeamContracts(teamId, { status: "pending", limit: 50 }),
    listTeamContracts(teamId, { status: "active", limit: PAGE_SIZE }),
    listTeamContracts(teamId, { status: "terminating", limit: 100 }),
    // One page of one item: only the counts are wanted (one GetItem on the server).
    teamWorklist(teamId, { limit: 1 }).then(
      (page) => page.counts ?? null,
      () => null,
    ),
  ]);
  return {
    teamId,
    staff,
    // The API lists applications oldest first: the closest to (or past) the 72-hour deadline.
    pending: pending.items,
    pendingCursor: pending.nextCursor,
    active: active.items,
    activeCursor: active.nextCursor,
    terminating: terminating.items,
    worklist,
  };
}

const residentName = (c: Contract) => c.resident?.name ?? "居民";

/** Reject with a reason (required, sent to the resident). */
function RejectForm({
  idPrefix,
  busy,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  busy: boolean;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <View className="inline-form" id={`${idPrefix}-reject-form`}>
      <FormField id={`${idPrefix}-reject-reason`} label="拒签原因" required error={error}>
        <Input
          id={`${idPrefix}-reject-reason`}
          name="reason"
          placeholder="如：不在本团队服务范围，建议选择第二团队"
          value={reason}
          maxLength={200}
          onChange={(v) => {
            setReason(v);
            setError(null);
          }}
        />
      </FormField>
      <View className="actions actions--row">
        <Button
          type="danger"
          id={`${idPrefix}-reject-submit`}
          loading={busy}
          onClick={() => {
            if (!reason.trim()) {
              setError("请填写拒签原因");
              return;
            }
            onSubmit(reason.trim());
          }}
        >
          确认拒签
        </Button>
        <Button fill="none" id={`${idPrefix}-reject-cancel`} onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  );
}

export default function TeamPage() {
  const loggedIn = useRequireLogin();
  const state = useAsync(loadTeam, loggedIn);
  const [tab, setTab] = useState<Tab>("pending");
  const [open, setOpen] = useState<{ id: string; form: "reject" | "record" | "terminate" } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  Taro.useDidShow(() => {
    if (loggedIn && state.data) state.reload();
  });

  const data = state.data;

  /** Moves the contract the API answered with into the list of its new status. */
  const place = (updated: Contract) => {
    if (!data) return;
    const without = (list: Contract[]) => list.filter((c) => c.contractId !== updated.contractId);
    const next: TeamData = {
      ...data,
      pending: without(data.pending),
      active: without(data.active),
      terminating: without(data.terminating),
    };
    if (updated.status === "pending") next.pending = [...next.pending, updated];
    if (updated.status === "active") next.active = [updated, ...next.active];
    if (updated.status === "terminating") next.terminating = [updated, ...next.terminating];
    state.setData(next);
    setOpen(null);
  };

  /** Keeps the contract in its list, updated in place (e.g. fulfilment counts after a record). */
  const update = (updated: Contract) => {
    if (!data) return;
    const swap = (list: Contract[]) => list.map((c) => (c.contractId === updated.contractId ? updated : c));
    state.setData({
      ...data,
      pending: swap(data.pending),
      active: swap(data.active),
      terminating: swap(data.terminating),
    });
    setOpen(null);
  };

  const act = async (contractId: string, action: () => Promise<Contract>, done: string) => {
    if (busy) return;
    setBusy(contractId);
    try {
      place(await action());
      void Taro.showToast({ title: done, icon: "none" }).catch(() => undefined);
    } catch {
      state.reload();
    } finally {
      setBusy(null);
    }
  };

  const confirmTerm = async (c: Contract) => {
    let ok = false;
    try {
      ok = (
        await Taro.showModal({
          title: "确认解约？",
          content: `确认后与${residentName(c)}的签约将终止。`,
          confirmText: "确认解约",
          cancelText: "再想想",
        })
      ).confirm;
    } catch {
      ok = false;
    }
    if (ok) await act(c.contractId, () => confirmTermination(c.contractId), "已解约");
  };

  /** Appends the next page of one list ("加载更多"). */
  const loadMore = async (list: "pending" | "active") => {
    const cursor = list === "pending" ? data?.pendingCursor : data?.activeCursor;
    if (!data?.teamId || !cursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listTeamContracts(data.teamId, {
        status: list,
        limit: list === "pending" ? 50 : PAGE_SIZE,
        cursor,
      });
      const seen = new Set(data[list].map((c) => c.contractId));
      const items = [...data[list], ...page.items.filter((c) => !seen.has(c.contractId))];
      state.setData(
        list === "pending"
          ? { ...data, pending: items, pendingCursor: page.nextCursor }
          : { ...data, active: items, activeCursor: page.nextCursor },
      );
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

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
      title="团队工作台"
      subtitle="审核签约、登记履约服务、办理解约；管理预约、排班与健康通知"
      loading={!loggedIn || (state.loading && !data)}
      error={state.error}
      onRetry={state.reload}
      id="team"
    >
      {noTeam ? (
        <EmptyState title="您还没有加入家庭医生团队" description="请使用中心管理员发放的邀请码加入团队。" />
      ) : null}
      {data && !noTeam ? (
        <>
          {overdueCount > 0 ? (
            <View className="notice notice--error" id="team-overdue-summary">
              有 {overdueCount} 份申请超过72小时未审核，请尽快处理。
            </View>
          ) : null}
          <View className="card cells" id="team-links">
            {data.teamId ? <WorklistLink teamId={data.teamId} counts={data.worklist} /> : null}
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
          </View>
          <OptionChips<Tab> idPrefix="team-tab" options={tabs} value={tab} onChange={setTab} />
          {moreError ? (
            <View className="notice notice--error" id="team-more-error">
              {moreError}
            </View>
          ) : null}

          {tab === "pending" ? (
            <View id="team-pending">
              {data.pending.length === 0 ? (
                <EmptyState title="暂无待审核的申请" description="居民提交签约申请后会显示在这里。" />
              ) : null}
              {data.pending.map((c) => {
                const idPrefix = `team-pending-${c.contractId}`;
                return (
                  <View
                    key={c.contractId}
                    className={`card${c.overdue ? " card--overdue" : ""}`}
                    id={idPrefix}
                  >
                    <ContractSummary contract={c} idPrefix={idPrefix} showResident title={residentName(c)} />
                    {open?.id === c.contractId && open.form === "reject" ? (
                      <RejectForm
                        idPrefix={idPrefix}
                        busy={busy === c.contractId}
                        onCancel={() => setOpen(null)}
                        onSubmit={(reason) =>
                          void act(c.contractId, () => rejectContract(c.contractId, reason), "已拒签")
                        }
                      />
                    ) : (
                      <View className="actions actions--row">
                        <Button
                          type="primary"
                          id={`team-approve-${c.contractId}`}
                          loading={busy === c.contractId}
                          onClick={() =>
                            void act(c.contractId, () => approveContract(c.contractId), "已通过审核")
                          }
                        >
                          通过
                        </Button>
                        <Button
                          fill="outline"
                          type="danger"
                          id={`team-reject-${c.contractId}`}
                          onClick={() => setOpen({ id: c.contractId, form: "reject" })}
                        >
                          拒签
                        </Button>
                      </View>
                    )}
                  </View>
                );
              })}
              {data.pendingCursor ? (
                <Button
                  block
                  fill="outline"
                  type="primary"
                  id="team-pending-more"
                  loading={loadingMore}
                  onClick={() => void loadMore("pending")}
                >
                  加载更多
                </Button>
              ) : null}
            </View>
          ) : null}

          {tab === "active" ? (
            <View id="team-active">
              {data.active.length === 0 ? (
                <EmptyState title="暂无生效中的签约" description="审核通过的签约会显示在这里。" />
              ) : null}
              {data.active.map((c) => {
                const idPrefix = `team-active-${c.contractId}`;
                const form = open?.id === c.contractId ? open.form : null;
                return (
                  <View key={c.contractId} className="card" id={idPrefix}>
                    <ContractSummary contract={c} idPrefix={idPrefix} showResident title={residentName(c)} />
                    {form === "record" ? (
                      <RecordServiceForm
                        contract={c}
                        idPrefix={idPrefix}
                        onDone={update}
                        onCancel={() => setOpen(null)}
                      />
                    ) : null}
                    {form === "terminate" ? (
                      <TerminationForm
                        idPrefix={idPrefix}
                        side="team"
                        busy={busy === c.contractId}
                        onCancel={() => setOpen(null)}
                        onSubmit={(reason, note) =>
                          void act(
                            c.contractId,
                            () => requestTermination(c.contractId, { reason, ...(note ? { note } : {}) }),
                            "已提交解约申请",
                          )
                        }
                      />
                    ) : null}
                    {form === null ? (
                      <View className="actions actions--row">
                        <Button
                          type="primary"
                          id={`team-record-${c.contractId}`}
                          onClick={() => setOpen({ id: c.contractId, form: "record" })}
                        >
                          记录服务
                        </Button>
                        <Button
                          fill="outline"
                          id={`team-terminate-${c.contractId}`}
                          onClick={() => setOpen({ id: c.contractId, form: "terminate" })}
                        >
                          申请解约
                        </Button>
                      </View>
                    ) : null}
                    <ContractHistory contractId={c.contractId} idPrefix={idPrefix} />
                  </View>
                );
              })}
              {data.activeCursor ? (
                <Button
                  block
                  fill="outline"
                  type="primary"
                  id="team-active-more"
                  loading={loadingMore}
                  onClick={() => void loadMore("active")}
                >
                  加载更多
                </Button>
              ) : data.active.length > 0 ? (
                <View className="footnote" id="team-active-end">
                  没有更多了
                </View>
              ) : null}
            </View>
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

          {tab === "terminating" ? (
            <View id="team-terminating">
              {data.terminating.length === 0 ? (
                <EmptyState title="暂无解约中的签约" description="居民或团队申请解约后会显示在这里。" />
              ) : null}
              {data.terminating.map((c) => {
                const idPrefix = `team-terminating-${c.contractId}`;
                const byResident = c.termination?.requestedBy === "resident";
                return (
                  <View key={c.contractId} className="card" id={idPrefix}>
                    <ContractSummary contract={c} idPrefix={idPrefix} showResident title={residentName(c)} />
                    {byResident ? (
                      <View className="actions actions--row">
                        <Button
                          type="danger"
                          id={`team-confirm-termination-${c.contractId}`}
                          loading={busy === c.contractId}
                          onClick={() => void confirmTerm(c)}
                        >
                          确认解约
                        </Button>
                      </View>
                    ) : (
                      <View className="notice notice--info" id={`${idPrefix}-waiting`}>
                        已由团队申请解约，等待居民确认。
                      </View>
                    )}
                  </View>
                );
              })}
            </View>
          ) : null}
        </>
      ) : null}
    </PageShell>
  );
}
