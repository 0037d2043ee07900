import { ulid } from "ulid";
import type { z } from "zod";
import { addDays, contractEndDate, todayInChina } from "../../shared/dates.js";
import type {
  ApplyContractBody,
  RecordServiceBody,
  TerminationBody,
} from "../../shared/schemas/contracts.js";
import { DEFAULT_SETTINGS } from "../../shared/settings.js";
import { allPackages, getTeam } from "../data/centres-repo.js";
import * as repo from "../data/contracts-repo.js";
import { getResident } from "../data/identity-repo.js";
import { deliverOnce } from "../data/inbox-repo.js";
import {
  type Actor,
  allowedTransition,
  type ContractOutcome,
  type ContractRecord,
  contractResultMessage,
  contractResultPush,
  contractResultTemplateId,
  packageFits,
  toContractView,
} from "../domain/contracts.js";
import { groupsOf } from "../domain/residents.js";
import { assertCurrentVersions } from "../domain/versions.js";
import { ApiError, conflict, fieldError, forbidden, notFound } from "../lib/errors.js";
import { idempotencyKeyOf } from "../lib/idempotency.js";
import { logger } from "../lib/logger.js";
import type { Session } from "../lib/session.js";
import { actsFor, type Relation, relationTo } from "./access.js";
import { pushToFamily } from "./push.js";
import { settingsOf } from "./settings.js";

const view = (c: ContractRecord) =>
  toContractView(c, new Date(), c.reviewDeadlineHours ?? DEFAULT_SETTINGS.reviewDeadlineHours);
const changedMeanwhile = () => conflict("CONTRACT_CHANGED", "签约状态刚刚发生变化，请刷新后重试");

/**
 * Tells the resident's side in the inbox that a review or termination happened, once per contract
 * and outcome. The change itself is already written: a failed message is logged (ids only) rather
 * than turned into an error for a change that took effect.
 */
async function tellResident(
  contract: ContractRecord,
  outcome: ContractOutcome,
  at: string,
  details: Parameters<typeof contractResultMessage>[2] = {},
) {
  const message = contractResultMessage(contract, outcome, details);
  try {
    const fresh = await deliverOnce(
      contract.residentId,
      message,
      `contract#${contract.contractId}#${outcome}`,
      new Date(at),
    );
    // A push only with the inbox's first copy: a retried request never pushes twice.
    const templateId = contractResultTemplateId();
    if (fresh && templateId)
      await pushToFamily(contract.residentId, contractResultPush(message, contract.teamName, at, templateId));
  } catch (err) {
    logger.warn("contract result not delivered to the inbox or WeChat", {
      contractId: contract.contractId,
      outcome,
      error: err instanceof Error ? err.name : "unknown",
    });
  }
}

/** Loads a contract the caller may see at all; strangers get 404 so ids reveal nothing. */
export async function loadVisible(session: Session, contractId: string) {
  const contract = await repo.getContract(contractId);
  if (!contract) throw notFound("签约不存在");
  const relation = await relationTo(session, contract);
  if (!relation.residentSide && !relation.team && !relation.manager) throw notFound("签约不存在");
  return { contract, relation };
}

function check(
  contract: ContractRecord,
  action: Parameters<typeof allowedTransition>[1],
  actor: Actor["kind"],
) {
  const verdict = allowedTransition(contract, action, actor);
  if (!verdict.ok) {
    throw verdict.code === "FORBIDDEN"
      ? forbidden(verdict.message)
      : new ApiError(409, "INVALID_STATE", verdict.message);
  }
}

/** The side a caller speaks for on a termination: the resident's side first, else the team. */
const terminationSide = (relation: Relation): Actor["kind"] =>
  relation.residentSide ? "resident" : relation.team ? "team" : relation.manager ? "manager" : "system";

export async function apply(session: Session, body: ApplyContractBody) {
  assertCurrentVersions({ agreementVersion: body.agreementVersion });
  const resident = await getResident(body.residentId);
  if (!resident || resident.erasedAt || !(await actsFor(session, body.residentId))) {
    throw forbidden("只能为本人或代办的家庭成员申请签约");
  }
  const team = await getTeam(body.teamId);
  if (!team) throw fieldError("teamId", "团队不存在");
  const settings = await settingsOf(team.centreId);
  if (team.centreId !== resident.centreId && !settings.crossAreaSigning) {
    throw new ApiError(409, "OUT_OF_AREA", "只能选择所在社区卫生服务中心的家庭医生团队");
  }
  const today = todayInChina();
  const groups = groupsOf(resident.birthDate, resident.declaredGroups, today);
  const offered = await allPackages(team.centreId);
  const basic = offered.filter((p) => p.basic);
  const chosen = [];
  for (const [i, packageId] of [...new Set(body.packageIds)].entries()) {
    const pkg = offered.find((p) => p.packageId === packageId);
    if (!pkg) throw fieldError(`packageIds.${i}`, "服务包不存在");
    if (!packageFits(pkg, groups))
      throw fieldError(`packageIds.${i}`, `“${pkg.name}”不适用于该居民的人群类别`);
    if (!pkg.basic) chosen.push(pkg);
  }
  if (body.switchFromContractId) {
    const current = await repo.getContract(body.switchFromContractId);
    if (!current || current.residentId !== resident.residentId || current.status !== "active") {
      throw new ApiError(409, "INVALID_STATE", "只能从生效中的签约改签");
    }
    if (current.teamId === team.teamId) throw fieldError("teamId", "改签须选择其他团队");
  }
  const now = new Date().toISOString();
  const contract: ContractRecord = {
    contractId: `k_${ulid()}`,
    residentId: resident.residentId,
    householdId: resident.householdId,
    teamId: team.teamId,
    teamName: team.name,
    centreId: team.centreId,
    status: "pending",
    term: 1,
    packages: [...basic, ...chosen].map(
      ({ packageId, name, feeFen, subsidyFen, residentPaysFen, items }) => ({
        packageId,
        name,
        feeFen,
        subsidyFen,
        residentPaysFen,
        items,
      }),
    ),
    agreementVersion: body.agreementVersion,
    signature: { confirmedAt: now, byUserId: session.userId },
    appliedAt: now,
    reviewDeadlineHours: settings.reviewDeadlineHours,
    resident: {
      name: resident.name,
      sex: resident.sex,
      birthDate: resident.birthDate,
      idNumberMasked: resident.idNumberMasked,
      phoneMasked: resident.phoneMasked ?? null,
      groups,
    },
    groupsAtSigning: groups,
    delivered: {},
    switchFromContractId: body.switchFromContractId,
  };
  const outcome = await repo.insertApplication(contract, { kind: "resident", userId: session.userId });
  if (outcome === "already-signed") throw conflict("ALREADY_SIGNED", "该居民已有待审核或生效中的签约");
  if (outcome === "switch-unavailable") throw conflict("ALREADY_SIGNED", "该签约已有待处理的改签申请");
  if (outcome === "team-full") throw conflict("TEAM_FULL", "该团队签约户数已满，请选择其他团队");
  return view(contract);
}

export async function approve(session: Session, contractId: string) {
  const { contract, relation } = await loadVisible(session, contractId);
  if (relation.residentSide && relation.team) throw forbidden("不能审核本人或家人的签约");
  check(contract, "approve", relation.team ? "team" : "resident");
  const at = new Date().toISOString();
  let switchFrom: ContractRecord | undefined;
  let startDate = todayInChina();
  if (contract.switchFromContractId) {
    switchFrom = await repo.getContract(contract.switchFromContractId);
    if (!switchFrom?.endDate || switchFrom.status !== "active")
      throw new ApiError(409, "INVALID_STATE", "原签约已不在生效中");
    startDate = addDays(switchFrom.endDate, 1);
  }
  const dates = { startDate, endDate: contractEndDate(startDate) };
  const actor: Actor = { kind: "team", userId: session.userId };
  if (!(await repo.approve(contract, actor, dates, at, switchFrom))) throw changedMeanwhile();
  await tellResident(contract, switchFrom ? "scheduled" : "approved", at, dates);
  return view({
    ...contract,
    status: switchFrom ? "scheduled" : "active",
    ...dates,
    approval: { at, byUserId: session.userId },
  });
}

export async function reject(session: Session, contractId: string, reason: string) {
  const { contract, relation } = await loadVisible(session, contractId);
  if (relation.residentSide && relation.team) throw forbidden("不能审核本人或家人的签约");
  check(contract, "reject", relation.team ? "team" : "resident");
  const at = new Date().toISOString();
  const ok = await repo.closeApplication(
    contract,
    "rejected",
    { kind: "team", userId: session.userId },
    at,
    reason,
  );
  if (!ok) throw changedMeanwhile();
  await tellResident(contract, "rejected", at, { reason });
  return view({ ...contract, status: "rejected", rejectReason: reason });
}

export async function withdraw(session: Session, contractId: string) {
  const { contract, relation } = await loadVisible(session, contractId);
  check(contract, "withdraw", relation.residentSide ? "resident" : "team");
  const ok = await repo.closeApplication(
    contract,
    "withdrawn",
    { kind: "resident", userId: session.userId },
    new Date().toISOString(),
  );
  if (!ok) throw changedMeanwhile();
  return view({ ...contract, status: "withdrawn" });
}

export async function requestTermination(
  session: Session,
  contractId: string,
  body: z.infer<typeof TerminationBody>,
) {
  const { contract, relation } = await loadVisible(session, contractId);
  const side = terminationSide(relation);
  check(contract, "requestTermination", side);
  if (contract.switchToContractId) throw switchInProgress();
  const termination = {
    requestedBy: side as "resident" | "team",
    reason: body.reason,
    note: body.note,
    requestedAt: new Date().toISOString(),
    requestedByUserId: session.userId,
  };
  const outcome = await repo.markTerminating(contract, termination, { kind: side, userId: session.userId });
  if (outcome === "switch-in-progress") throw switchInProgress();
  if (outcome === "changed") throw changedMeanwhile();
  return view({ ...contract, status: "terminating", termination });
}

const switchInProgress = () =>
  conflict("SWITCH_IN_PROGRESS", "该签约有进行中的改签，请先撤回改签申请或取消改签后再解约");

/**
 * Cancels an approved switch before it takes effect (the resident's side or the new team): the
 * resident stays with the old team, whose contract renews as usual.
 */
export async function cancelSwitch(session: Session, contractId: string) {
  const { contract, relation } = await loadVisible(session, contractId);
  if (!relation.residentSide && !relation.team) throw forbidden("只有居民本人、代办人或新团队可以取消改签");
  if (contract.status !== "scheduled") throw new ApiError(409, "INVALID_STATE", "只能取消尚未生效的改签");
  const at = new Date().toISOString();
  const actor: Actor = { kind: relation.residentSide ? "resident" : "team", userId: session.userId };
  if (!(await repo.cancelScheduledSwitch(contract, actor, at))) throw changedMeanwhile();
  return view({ ...contract, status: "withdrawn", endReason: "switch_cancelled" });
}

export async function confirmTermination(session: Session, contractId: string) {
  const { contract, relation } = await loadVisible(session, contractId);
  // Whoever asked cannot confirm: a caller on both sides confirms as the side that did not ask.
  const side: Actor["kind"] =
    relation.residentSide && relation.team
      ? contract.termination?.requestedBy === "resident"
        ? "team"
        : "resident"
      : terminationSide(relation);
  check(contract, "confirmTermination", side);
  const at = new Date().toISOString();
  if (
    !(await repo.endContract(
      contract,
      "terminating",
      { kind: side, userId: session.userId },
      at,
      "terminated",
    ))
  ) {
    throw changedMeanwhile();
  }
  await tellResident(contract, "terminated", at, { date: todayInChina(new Date(at)) });
  return view({ ...contract, status: "terminated", terminatedAt: at });
}

export async function recordService(
  session: Session,
  contractId: string,
  body: z.infer<typeof RecordServiceBody>,
  idempotencyKey?: string,
) {
  idempotencyKeyOf(idempotencyKey);
  const { contract, relation } = await loadVisible(session, contractId);
  check(contract, "recordService", relation.team ? "team" : relation.manager ? "manager" : "resident");
  if (Date.parse(body.deliveredAt) > Date.now() + 5 * 60_000)
    throw fieldError("deliveredAt", "服务时间不能晚于现在");
  if (contract.startDate && body.deliveredAt.slice(0, 10) < addDays(contract.startDate, -1)) {
    throw fieldError("deliveredAt", "服务时间早于签约生效日期");
  }
  const team = await getTeam(contract.teamId);
  const staffName = team?.members.find((m) => m.userId === session.userId)?.name ?? "团队成员";
  const service: repo.ServiceRecordItem = {
    serviceId: idempotencyKey ? `manual_${idempotencyKey}` : `s_${ulid()}`,
    contractId,
    serviceType: body.type,
    deliveredAt: new Date(body.deliveredAt).toISOString(),
    place: body.place,
    notes: body.notes ?? null,
    outcome: body.outcome ?? null,
    staffUserId: session.userId,
    staffName,
    source: "manual",
  };
  const outcome = await repo.recordService(service);
  if (outcome === "not-running") throw changedMeanwhile();
  const { staffUserId: _staff, serviceType, ...rest } = service;
  return { ...rest, type: serviceType, duplicate: outcome === "duplicate" };
}

export async function teamOf(teamId: string) {
  const team = await getTeam(teamId);
  if (!team) throw notFound("团队不存在");
  return team;
}

export { view as contractView };
