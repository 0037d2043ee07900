import Taro from "@tarojs/taro";
import { openContractOf } from "../../lib/contracts";
import { type Person, peopleOf } from "../../lib/people";
import { listPackages, listResidentContracts, listTeams } from "../../services/contracts";
import { getMe, listCentres } from "../../services/me";
import { getConfig } from "../../services/platform";
import { ApiError } from "../../services/request";
import type { Contract, Me, ServicePackage, Team } from "../../services/types";

/** Someone the account may sign for, with the contract that already holds a place (if any). */
export interface Signer extends Person {
  open: Contract | null;
}

export interface SignData {
  me: Me;
  agreementVersion: string;
  centreName: string;
  teams: Team[];
  packages: ServicePackage[];
  signers: Signer[];
}

export const AGREEMENT_TERM = "审核通过之日起一年，到期自动续约";
export const SUBMITTED_TEXT = "已提交，等待团队审核（通常 72 小时内）";

export async function loadSignData(): Promise<SignData | { me: Me; noProfile: true }> {
  const me = await getMe();
  const profile = me.profile;
  if (!profile) return { me, noProfile: true };
  const people = peopleOf(me);
  const [config, centres, teams, packages, contracts] = await Promise.all([
    getConfig(),
    listCentres(),
    listTeams(profile.centreId),
    listPackages(profile.centreId),
    // A person whose contracts cannot be read is still offered; the server has the last word.
    Promise.all(
      people.map((p) =>
        listResidentContracts(p.residentId, { silent: true }).then(
          (page) => page.items,
          () => [] as Contract[],
        ),
      ),
    ),
  ]);
  return {
    me,
    agreementVersion: config.agreementVersion,
    centreName: centres.items.find((c) => c.centreId === profile.centreId)?.name ?? "所属社区卫生服务中心",
    teams: teams.items,
    packages: packages.items,
    signers: people.map((p, i) => ({ ...p, open: openContractOf(contracts[i] ?? []) ?? null })),
  };
}

export function initialResident(): string | null {
  try {
    return Taro.getCurrentInstance().router?.params?.residentId ?? null;
  } catch {
    return null;
  }
}

/** What a 409 of applyContract means for the person signing, in plain Chinese. */
export function applyErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return "提交失败，请稍后再试";
  switch (error.code) {
    case "ALREADY_SIGNED":
      return "该居民已有待审核或生效中的签约，不能重复签约。可在「我的签约」中查看。";
    case "TEAM_FULL":
      return "该团队签约户数已满，请选择其他团队。";
    case "OUT_OF_AREA":
      return "只能选择所在社区卫生服务中心的家庭医生团队。";
    case "VERSION_OUTDATED":
      return "签约协议已更新，请重新阅读协议后再提交。";
    default: {
      const details = error.details.map((d) => d.message).filter(Boolean);
      return details.length ? details.join("；") : error.message;
    }
  }
}
