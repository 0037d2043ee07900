import { View } from "@tarojs/components";
import { useState } from "react";
import { ContractSummary } from "../../components/ContractSummary";
import { LoadMore } from "../../components/LoadMore";
import { EmptyState } from "../../components/PageShell";
import { Button, Checkbox } from "../../components/ui";
import { approveContract, rejectContract } from "../../services/contracts";
import { RejectForm } from "./RejectForm";
import { useBulkApprove } from "./use-bulk-approve";
import { residentName, type TeamDesk } from "./use-team";

/** The 待审核 tab: approve or reject each application, or approve a selection of them at once. */
export function PendingList({ desk, onMore }: { desk: TeamDesk; onMore: () => void }) {
  const { data, open, setOpen, busy, act, place, state } = desk;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const bulk = useBulkApprove((approved) => place(...approved), state.reload);
  if (!data) return null;
  const chosen = data.pending.filter((c) => selected.has(c.contractId));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <View id="team-pending">
      {data.pending.length === 0 ? (
        <EmptyState title="暂无待审核的申请" description="居民提交签约申请后会显示在这里。" />
      ) : (
        <View className="actions actions--row" id="team-bulk">
          <Button
            type="primary"
            id="team-bulk-approve"
            disabled={chosen.length === 0}
            loading={bulk.progress !== null}
            onClick={() => void bulk.run(chosen).then((ran) => ran && setSelected(new Set()))}
          >
            {`批量通过（${chosen.length}）`}
          </Button>
        </View>
      )}
      {bulk.progress ? (
        <View className="notice notice--info" id="team-bulk-progress">
          正在审核第 {bulk.progress.done + 1} / {bulk.progress.total} 份…
        </View>
      ) : null}
      {bulk.result ? (
        <View
          className={`notice ${bulk.result.failed.length ? "notice--error" : "notice--info"}`}
          id="team-bulk-summary"
        >
          <View>
            已通过 {bulk.result.approved} 份
            {bulk.result.failed.length ? `，${bulk.result.failed.length} 份未通过：` : "。"}
          </View>
          {bulk.result.failed.map((f) => (
            <View key={f.contractId} id={`team-bulk-failed-${f.contractId}`}>
              {f.name}：{f.message}
            </View>
          ))}
        </View>
      ) : null}
      {data.pending.map((c) => {
        const idPrefix = `team-pending-${c.contractId}`;
        return (
          <View key={c.contractId} className={`card${c.overdue ? " card--overdue" : ""}`} id={idPrefix}>
            <Checkbox
              id={`team-select-${c.contractId}`}
              checked={selected.has(c.contractId)}
              onChange={(on: boolean) => toggle(c.contractId, on)}
              label="选择"
            />
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
                  onClick={() => void act(c.contractId, () => approveContract(c.contractId), "已通过审核")}
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
      <LoadMore
        id="team-pending-more"
        hasMore={!!data.pendingCursor}
        loading={desk.loadingMore}
        onMore={onMore}
      />
    </View>
  );
}
