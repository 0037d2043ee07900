import { ulid } from "ulid";
import { addDays, contractEndDate, todayInChina } from "../../shared/dates.js";
import { DEFAULT_SETTINGS } from "../../shared/settings.js";
import * as repo from "../data/contracts-repo.js";
import { deliverOnce } from "../data/inbox-repo.js";
import type { ContractRecord } from "../domain/contracts.js";

/** Days looked back each run, so a few missed runs are caught up; every step is idempotent. */
const CATCH_UP_DAYS = 7;

export async function runRenewals(now: Date, teamId?: string) {
  const today = todayInChina(now);
  const at = now.toISOString();
  const result = { renewed: 0, ended: 0, switched: 0, reminded: 0 };
  for (let back = CATCH_UP_DAYS; back >= 1; back--) {
    const endedOn = addDays(today, -back);
    for (const { contractId } of await repo.listExpiring(endedOn, teamId)) {
      const contract = await repo.getContract(contractId);
      if (!contract || contract.endDate !== endedOn) continue;
      if (contract.status === "terminating") {
        if (
          await repo.endContract(
            contract,
            "terminating",
            { kind: "system", userId: "system" },
            at,
            "ended_at_expiry",
          )
        ) {
          result.ended++;
        }
      } else if (contract.status === "active" && contract.switchToContractId) {
        const next = await repo.getContract(contract.switchToContractId);
        if (next?.status === "scheduled" && (await repo.completeSwitch(contract, next, at)))
          result.switched++;
      } else if (contract.status === "active") {
        if (await repo.renew(contract, nextTerm(contract, at), at)) result.renewed++;
      }
    }
  }
  for (const days of DEFAULT_SETTINGS.renewalReminderDays) {
    for (const { contractId } of await repo.listExpiring(addDays(today, days), teamId)) {
      const contract = await repo.getContract(contractId);
      if (contract?.status !== "active" || contract.switchToContractId) continue;
      const sent = await deliverOnce(
        contract.residentId,
        {
          kind: "renewal_reminder",
          title: `家庭医生签约将于 ${days} 天后到期`,
          body: `您与${contract.teamName}的签约将于 ${contract.endDate} 到期，到期后将自动续约一年。如需改签或解约，请在到期前办理。`,
          contractId,
        },
        `renewal-reminder#${contractId}#${days}`,
        now,
      );
      if (sent) result.reminded++;
    }
  }
  return result;
}

function nextTerm(old: ContractRecord, at: string): ContractRecord {
  const startDate = addDays(old.endDate ?? "", 1);
  return {
    ...old,
    contractId: `k_${ulid()}`,
    status: "active",
    term: old.term + 1,
    appliedAt: at,
    approval: { at, byUserId: "system" },
    startDate,
    endDate: contractEndDate(startDate),
    delivered: {},
    previousContractId: old.contractId,
    termination: undefined,
    switchFromContractId: undefined,
    switchToContractId: undefined,
  };
}
