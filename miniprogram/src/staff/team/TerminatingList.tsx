import { View } from "@tarojs/components";
import { ContractSummary } from "../../components/ContractSummary";
import { EmptyState } from "../../components/PageShell";
import { Button } from "../../components/ui";
import { confirm } from "../../lib/confirm";
import { confirmTermination } from "../../services/contracts";
import type { Contract } from "../../services/types";
import { residentName, type TeamDesk } from "./use-team";

/** The 解约中 tab: confirm a resident's request; the team's own requests wait for the resident. */
export function TerminatingList({ desk }: { desk: TeamDesk }) {
  const { data, busy, act } = desk;
  if (!data) return null;
  const confirmTerm = async (c: Contract) => {
    const ok = await confirm({
      title: "确认解约？",
      content: `确认后与${residentName(c)}的签约将终止。`,
      confirmText: "确认解约",
    });
    if (ok) await act(c.contractId, () => confirmTermination(c.contractId), "已解约");
  };
  return (
    <View id="team-terminating">
      {data.terminating.length === 0 ? (
        <EmptyState title="暂无解约中的签约" description="居民或团队申请解约后会显示在这里。" />
      ) : null}
      {data.terminating.map((c) => {
        const idPrefix = `team-terminating-${c.contractId}`;
        return (
          <View key={c.contractId} className="card" id={idPrefix}>
            <ContractSummary contract={c} idPrefix={idPrefix} showResident title={residentName(c)} />
            {c.termination?.requestedBy === "resident" ? (
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
  );
}
