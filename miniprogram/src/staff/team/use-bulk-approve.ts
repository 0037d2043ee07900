import Taro from "@tarojs/taro";
import { useState } from "react";
import { confirm } from "../../lib/confirm";
import { errorMessage } from "../../lib/use-async";
import { approveContract, getContract } from "../../services/contracts";
import { ApiError } from "../../services/request";
import type { Contract } from "../../services/types";
import { residentName } from "./use-team";

export interface BulkResult {
  approved: number;
  failed: { contractId: string; name: string; message: string }[];
}

/**
 * Approves the selected applications one after another (each takes a place in the team, so they
 * are not raced against each other), after a confirmation naming how many.
 */
export function useBulkApprove(onApproved: (contracts: Contract[]) => void, onFailed: () => void) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<BulkResult | null>(null);

  const approveOne = async (c: Contract): Promise<Contract> => {
    try {
      return await approveContract(c.contractId);
    } catch (err) {
      // A 409 may be this very approval taking effect before its answer was lost (or a colleague's):
      // the contract as stored tells whether it is approved after all.
      if (err instanceof ApiError && err.status === 409) {
        const now = await getContract(c.contractId).catch(() => null);
        if (now && (now.status === "active" || now.status === "scheduled")) return now;
      }
      throw err;
    }
  };

  const run = async (selected: Contract[]) => {
    if (progress || selected.length === 0) return false;
    const ok = await confirm({
      title: "批量审核通过",
      content: `将审核通过 ${selected.length} 份签约申请，通过后自今日起签约一年。`,
      confirmText: "全部通过",
    });
    if (!ok) return false;
    setResult(null);
    const approved: Contract[] = [];
    const failed: BulkResult["failed"] = [];
    for (const [i, c] of selected.entries()) {
      setProgress({ done: i, total: selected.length });
      try {
        approved.push(await approveOne(c));
      } catch (err) {
        failed.push({ contractId: c.contractId, name: residentName(c), message: errorMessage(err) });
      }
    }
    setProgress(null);
    setResult({ approved: approved.length, failed });
    if (approved.length > 0) onApproved(approved);
    // The lists may have moved on meanwhile (a full team, a withdrawn application): read them again.
    if (failed.length > 0) onFailed();
    void Taro.showToast({ title: `已通过 ${approved.length} 份`, icon: "none" }).catch(() => undefined);
    return true;
  };

  return { run, progress, result };
}
