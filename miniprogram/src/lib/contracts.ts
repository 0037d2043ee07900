/**
 * Pure rules of the signing pages: which packages a person may choose, money in yuan, which
 * contracts still hold a place with a team. Kept free of Taro so component tests import them directly.
 */
import type { PriorityGroup, Role } from "@shared/enums";
import type { Contract, ContractStatus, Entitlement, ServicePackage } from "../services/types";

/** Statuses in which the resident holds a place with a team (the server's HOLDS_PLACE). */
export const OPEN_STATUSES: readonly ContractStatus[] = ["pending", "active", "scheduled", "terminating"];

export const STAFF_ROLES: readonly Role[] = ["doctor", "nurse", "public_health"];

export function isStaff(roles: readonly Role[] | undefined): boolean {
  return !!roles?.some((role) => STAFF_ROLES.includes(role));
}

export function isOpen(contract: Pick<Contract, "status">): boolean {
  return OPEN_STATUSES.includes(contract.status);
}

export function openContractOf<C extends Pick<Contract, "status">>(contracts: readonly C[]): C | undefined {
  return contracts.find(isOpen);
}

/** A package fits when it targets everyone or shares one of the person's priority groups. */
export function packageFits(
  pkg: Pick<ServicePackage, "targetGroups">,
  groups: readonly PriorityGroup[],
): boolean {
  return pkg.targetGroups.length === 0 || pkg.targetGroups.some((g) => groups.includes(g));
}

/** The basic package(s), always part of a contract, and the optional ones that fit the person. */
export function offeredPackages(packages: readonly ServicePackage[], groups: readonly PriorityGroup[]) {
  return {
    basic: packages.filter((p) => p.basic),
    optional: packages.filter((p) => !p.basic && packageFits(p, groups)),
  };
}

type Money = Pick<ServicePackage, "feeFen" | "subsidyFen" | "residentPaysFen">;

export function moneyTotals(packages: readonly Money[]): Money {
  return packages.reduce(
    (sum, p) => ({
      feeFen: sum.feeFen + p.feeFen,
      subsidyFen: sum.subsidyFen + p.subsidyFen,
      residentPaysFen: sum.residentPaysFen + p.residentPaysFen,
    }),
    { feeFen: 0, subsidyFen: 0, residentPaysFen: 0 },
  );
}

/** Fen → "¥12.50" (money travels in fen, people read yuan). */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

/** "2/4" and the bar's percentage (capped at 100 when more was delivered than promised). */
export function progressOf(entitlement: Pick<Entitlement, "entitled" | "delivered">) {
  const { entitled, delivered } = entitlement;
  const percent = entitled > 0 ? Math.min(100, Math.round((delivered / entitled) * 100)) : 0;
  return { text: `${delivered}/${entitled}`, percent, done: entitled > 0 && delivered >= entitled };
}

/** An ISO time shown in China Standard Time (UTC+8, no daylight saving): "2026-11-23 14:05". */
export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 16).replace("T", " ");
}

/** The contract's term for display: "2026-11-23 至 2027-11-22", or why there is none yet. */
export function termText(contract: Pick<Contract, "startDate" | "endDate" | "status">): string {
  if (contract.startDate && contract.endDate) return `${contract.startDate} 至 ${contract.endDate}`;
  if (contract.status === "pending") return "审核通过之日起一年";
  return "未生效";
}

/** "王秀兰" → "王*兰", "李雷" → "李*": how the agreement names the person on screen. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
