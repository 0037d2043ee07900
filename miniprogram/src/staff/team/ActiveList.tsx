import { View } from "@tarojs/components";
import { ContractHistory } from "../../components/ContractHistory";
import { ContractSummary } from "../../components/ContractSummary";
import { LoadMore } from "../../components/LoadMore";
import { EmptyState } from "../../components/PageShell";
import { RecordServiceForm } from "../../components/RecordServiceForm";
import { TerminationForm } from "../../components/TerminationForm";
import { Button } from "../../components/ui";
import { requestTermination } from "../../services/contracts";
import { residentName, type TeamDesk } from "./use-team";

/** The 已签约 tab: record a delivered service, or ask to terminate. */
export function ActiveList({ desk, onMore }: { desk: TeamDesk; onMore: () => void }) {
  const { data, open, setOpen, busy, act, update } = desk;
  if (!data) return null;
  return (
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
      <LoadMore
        id="team-active-more"
        hasMore={!!data.activeCursor}
        loading={desk.loadingMore}
        onMore={onMore}
        endId={data.active.length > 0 ? "team-active-end" : undefined}
      />
    </View>
  );
}
