import { addDays } from "../../shared/dates.js";
import type { PriorityGroup } from "../../shared/enums.js";
import {
  CONTRACT_STATUS_NAMES,
  type Contract,
  type ContractEndReason,
  type ContractStatus,
  ENTITLEMENT_NAMES,
  type EntitlementType,
  type ServicePackage,
} from "../../shared/schemas/contracts.js";

/** A contract as stored. The resident snapshot holds masked identifiers only. */
export interface ContractRecord {
  contractId: string;
  residentId: string;
  householdId: string;
  teamId: string;
  teamName: string;
  centreId: string;
  status: ContractStatus;
  term: number;
  packages: Pick<
    ServicePackage,
    "packageId" | "name" | "feeFen" | "subsidyFen" | "residentPaysFen" | "items"
  >[];
  agreementVersion: string;
  signature: { confirmedAt: string; byUserId: string };
  approval?: { at: string; byUserId: string };
  appliedAt: string;
  startDate?: string;
  endDate?: string;
  resident?: Contract["resident"];
  /** Priority groups at signing, for the monthly report's priority-group signing rate. */
  groupsAtSigning: PriorityGroup[];
  termination?: NonNullable<Contract["termination"]> & { requestedByUserId: string };
  terminatedAt?: string;
  rejectReason?: string;
  delivered: Partial<Record<EntitlementType, number>>;
  previousContractId?: string;
  switchFromContractId?: string;
  /** A scheduled switch that will take over this contract at its end. */
  switchToContractId?: string;
  /** Why the contract ended when neither side asked: the account was erased, a switch cancelled. */
  endReason?: ContractEndReason;
  /** The centre's review deadline when the application was made (settings apply to new actions). */
  reviewDeadlineHours?: number;
}

export type Actor = { kind: "resident" | "team" | "manager" | "system"; userId: string };

/** Statuses during which the resident holds a place with the team. */
export const HOLDS_PLACE: readonly ContractStatus[] = ["pending", "active", "scheduled", "terminating"];

/** A package fits when it targets everyone or one of the resident's priority groups. */
export const packageFits = (pkg: Pick<ServicePackage, "targetGroups">, groups: readonly PriorityGroup[]) =>
  pkg.targetGroups.length === 0 || pkg.targetGroups.some((g) => groups.includes(g));

/** Yearly entitlements summed over the contract's packages, with what was delivered this term. */
export function entitlements(contract: Pick<ContractRecord, "packages" | "delivered">) {
  const totals = new Map<EntitlementType, number>();
  for (const pkg of contract.packages) {
    for (const item of pkg.items) totals.set(item.type, (totals.get(item.type) ?? 0) + item.timesPerYear);
  }
  return [...totals].map(([type, entitled]) => ({
    type,
    name: ENTITLEMENT_NAMES[type],
    entitled,
    delivered: contract.delivered[type] ?? 0,
  }));
}

export const isOverdue = (contract: Pick<ContractRecord, "status" | "appliedAt">, now: Date, hours: number) =>
  contract.status === "pending" && now.getTime() - Date.parse(contract.appliedAt) > hours * 3_600_000;

/** Which state changes each side may make; the other side confirms a termination. */
export function allowedTransition(
  contract: Pick<ContractRecord, "status" | "termination">,
  action: "approve" | "reject" | "withdraw" | "requestTermination" | "confirmTermination" | "recordService",
  actor: Actor["kind"],
): { ok: true } | { ok: false; code: "FORBIDDEN" | "INVALID_STATE"; message: string } {
  const wrongState = (message: string) => ({ ok: false as const, code: "INVALID_STATE" as const, message });
  const forbidden = (message: string) => ({ ok: false as const, code: "FORBIDDEN" as const, message });
  switch (action) {
    case "approve":
    case "reject":
      if (actor !== "team") return forbidden("只有签约团队成员可以审核");
      return contract.status === "pending" ? { ok: true } : wrongState("该签约申请已处理");
    case "withdraw":
      if (actor !== "resident") return forbidden("只有居民本人或其代办人可以撤回申请");
      return contract.status === "pending" ? { ok: true } : wrongState("只能撤回待审核的申请");
    case "requestTermination":
      if (actor !== "resident" && actor !== "team") return forbidden("只有居民或签约团队可以申请解约");
      return contract.status === "active" ? { ok: true } : wrongState("只有已生效的签约可以申请解约");
    case "confirmTermination": {
      if (contract.status !== "terminating" || !contract.termination)
        return wrongState("没有待确认的解约申请");
      if (actor !== "resident" && actor !== "team") return forbidden("只有居民或签约团队可以确认解约");
      // Both sides sign: the side that asked cannot confirm its own request.
      return contract.termination.requestedBy === actor ? forbidden("解约须由另一方确认") : { ok: true };
    }
    case "recordService":
      if (actor !== "team") return forbidden("只有签约团队成员可以登记履约服务");
      return contract.status === "active" || contract.status === "terminating"
        ? { ok: true }
        : wrongState("只能为生效中的签约登记服务");
  }
}

/** The next term of a renewing contract starts the day after this one ends. */
export const nextTermStart = (endDate: string) => addDays(endDate, 1);

export function toContractView(record: ContractRecord, now: Date, reviewDeadlineHours: number): Contract {
  const packageView = record.packages.map(({ packageId, name, feeFen, subsidyFen, residentPaysFen }) => ({
    packageId,
    name,
    feeFen,
    subsidyFen,
    residentPaysFen,
  }));
  const sum = (key: "feeFen" | "subsidyFen" | "residentPaysFen") =>
    packageView.reduce((n, p) => n + p[key], 0);
  return {
    contractId: record.contractId,
    residentId: record.residentId,
    teamId: record.teamId,
    teamName: record.teamName,
    centreId: record.centreId,
    status: record.status,
    statusName: CONTRACT_STATUS_NAMES[record.status],
    term: record.term,
    packageIds: record.packages.map((p) => p.packageId),
    packages: packageView,
    feeFen: sum("feeFen"),
    subsidyFen: sum("subsidyFen"),
    residentPaysFen: sum("residentPaysFen"),
    agreementVersion: record.agreementVersion,
    appliedAt: record.appliedAt,
    startDate: record.startDate ?? null,
    endDate: record.endDate ?? null,
    terminatedAt: record.terminatedAt ?? null,
    resident: record.resident ?? null,
    termination: record.termination
      ? {
          requestedBy: record.termination.requestedBy,
          reason: record.termination.reason,
          note: record.termination.note,
          requestedAt: record.termination.requestedAt,
        }
      : null,
    rejectReason: record.rejectReason ?? null,
    overdue: isOverdue(record, now, reviewDeadlineHours),
    entitlements: entitlements(record),
    previousContractId: record.previousContractId ?? null,
    switchFromContractId: record.switchFromContractId ?? null,
    switchToContractId: record.switchToContractId ?? null,
    endReason: record.endReason ?? null,
  };
}

/** A state change the resident's side hears about in the inbox (the channel of record). */
export type ContractOutcome = "approved" | "scheduled" | "rejected" | "terminated";

/**
 * The inbox message of a review or a termination, in Chinese, naming the family member and the
 * team: an account acting for several people must see whose application it was.
 */
export function contractResultMessage(
  contract: Pick<ContractRecord, "contractId" | "teamName" | "resident">,
  outcome: ContractOutcome,
  details: { startDate?: string; endDate?: string; reason?: string; date?: string } = {},
) {
  const who = contract.resident?.name ?? "您的家人";
  const team = contract.teamName;
  const texts: Record<ContractOutcome, { title: string; body: string }> = {
    approved: {
      title: "签约申请已通过",
      body: `${who}与${team}的签约已生效，服务期 ${details.startDate ?? ""} 至 ${details.endDate ?? ""}。`,
    },
    scheduled: {
      title: "改签申请已通过",
      body: `${who}改签${team}的申请已通过，将于 ${details.startDate ?? ""} 生效。`,
    },
    rejected: {
      title: "签约申请未通过",
      body: `${team}未通过${who}的签约申请${details.reason ? `，原因：${details.reason}` : ""}。您可以重新选择团队申请。`,
    },
    terminated: {
      title: "签约已解除",
      body: `${who}与${team}的签约已于 ${details.date ?? ""} 解除。`,
    },
  };
  return { kind: "contract_result" as const, contractId: contract.contractId, ...texts[outcome] };
}

/** The deployment's WeChat template for review results; without one the app never asks for it. */
export const contractResultTemplateId = () => process.env.WECHAT_TEMPLATE_CONTRACT_RESULT || undefined;

/** The subscribe message of a review result: what happened, with which team, when (China time). */
export const contractResultPush = (
  message: ReturnType<typeof contractResultMessage>,
  teamName: string,
  at: string,
  templateId: string,
) => ({
  templateId,
  page: "pages/contracts/index",
  data: {
    thing1: { value: message.title.slice(0, 20) },
    thing2: { value: teamName.slice(0, 20) },
    time3: {
      value: new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " "),
    },
  },
});

/**
 * Staff search on the team desk: part of the resident's name, or digits of the masked phone as the
 * desk shows it (the last four, typically). Only the masked copy is compared: the search never
 * reads the encrypted number.
 */
export const residentMatches = (resident: ContractRecord["resident"], q: string) =>
  !!resident && (resident.name.includes(q) || !!resident.phoneMasked?.includes(q));
