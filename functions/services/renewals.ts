import { ulid } from "ulid";
import { addDays, contractEndDate, todayInChina } from "../../shared/dates.js";
import type { CentreSettingValues } from "../../shared/schemas/settings.js";
import { DEFAULT_SETTINGS } from "../../shared/settings.js";
import { getTeam, listCentres } from "../data/centres-repo.js";
import * as repo from "../data/contracts-repo.js";
import { deliverOnce } from "../data/inbox-repo.js";
import { activeSurveyFor } from "../data/surveys-repo.js";
import type { ContractRecord } from "../domain/contracts.js";
import { mapLimit } from "../lib/concurrency.js";
import { continueChain, type PageRef, planPages } from "./paged-jobs.js";
import { settingsOf } from "./settings.js";
import { inviteOnce } from "./survey-invitations.js";
import { visitClosurePages } from "./visit-closure.js";
import { worklistAgendaPages } from "./worklist.js";

/** Days looked back each run, so a few missed runs are caught up; every step is idempotent. */
const CATCH_UP_DAYS = 7;
/** Contracts read per page, and handled at once within a page. */
export const RENEWAL_PAGE_SIZE = 100;
const CONCURRENCY = 10;

/**
 * A page of contracts ending on `date`: at expiry ("expiry": renew, end or switch) or ahead of it
 * ("renewal-reminder", `days` before). `at` is the planning run's "now"; `teamId` narrows the run.
 */
export type RenewalPage = PageRef &
  (
    | { kind: "expiry"; date: string; teamId?: string; at: string }
    | { kind: "renewal-reminder"; date: string; days: number; teamId?: string; at: string }
    | { kind: "annual-survey"; date: string; days: number; teamId?: string; at: string }
  );

/**
 * Daily at 00:10 China time: one page message per day to look at (the last CATCH_UP_DAYS days'
 * expiries, and the reminder days ahead). Contracts handled at expiry leave the expiry index, so
 * the catch-up days cost a read of what is left, not of everything that ended that week.
 */
export async function planRenewals(now: Date, runId: string, teamId?: string) {
  const today = todayInChina(now);
  const at = now.toISOString();
  const pages: RenewalPage[] = [];
  for (let back = CATCH_UP_DAYS; back >= 1; back--) {
    const date = addDays(today, -back);
    pages.push({ kind: "expiry", chain: `${runId}:expiry:${date}`, page: 0, date, teamId, at });
  }
  // A run narrowed to a team plans its centre's days only; a full run every day some centre uses.
  const centreDays = teamId ? await daysOfTeamCentre(teamId) : await daysOfAllCentres();
  const annual: RenewalPage[] = centreDays.annualSurveyLead.map((days) => {
    const date = addDays(today, days);
    return { kind: "annual-survey", chain: `${runId}:annual:${date}`, page: 0, date, days, teamId, at };
  });
  for (const days of centreDays.renewalReminder) {
    const date = addDays(today, days);
    pages.push({
      kind: "renewal-reminder",
      chain: `${runId}:remind:${date}`,
      page: 0,
      date,
      days,
      teamId,
      at,
    });
  }
  // The days just ended are closed in the same run: visits nobody recorded become unrecorded.
  const closing = visitClosurePages(now, runId, teamId);
  // The work-list's time-driven items: the residents whose items may change today (issue 16).
  const agenda = worklistAgendaPages(now, runId, teamId);
  await planPages([...pages, ...annual, ...closing, ...agenda]);
  return { planned: pages.length, annualSurveyDays: annual.length, closingDays: closing.length };
}

/** One page: the next is queued first, then each contract is handled (each step conditioned on its status). */
export async function renewalsPage(message: RenewalPage) {
  const page = await repo.expiringPage(message.date, message.teamId, RENEWAL_PAGE_SIZE, message.cursor);
  if (page.nextCursor) await continueChain(message, page.nextCursor);
  const now = new Date(message.at);
  const settings = new Map<string, Promise<CentreSettingValues>>();
  const settingsOfCentre = (centreId: string) => {
    const known = settings.get(centreId);
    if (known) return known;
    const read = settingsOf(centreId);
    settings.set(centreId, read);
    return read;
  };
  const outcomes = await mapLimit(page.items, CONCURRENCY, ({ contractId }) =>
    message.kind === "expiry"
      ? atExpiry(contractId, message.date, now.toISOString())
      : message.kind === "annual-survey"
        ? annualInvitation(contractId, message.days, now, settingsOfCentre)
        : remind(contractId, message.days, now, settingsOfCentre),
  );
  const result = { contracts: page.items.length, renewed: 0, ended: 0, switched: 0, reminded: 0, invited: 0 };
  for (const outcome of outcomes) if (outcome) result[outcome]++;
  return result;
}

async function atExpiry(contractId: string, endedOn: string, at: string) {
  const contract = await repo.getContract(contractId);
  if (!contract || contract.endDate !== endedOn) return undefined;
  if (contract.status === "terminating") {
    const ended = await repo.endContract(
      contract,
      "terminating",
      { kind: "system", userId: "system" },
      at,
      "ended_at_expiry",
    );
    return ended ? ("ended" as const) : undefined;
  }
  if (contract.status === "active" && contract.switchToContractId) {
    const next = await repo.getContract(contract.switchToContractId);
    return next?.status === "scheduled" && (await repo.completeSwitch(contract, next, at))
      ? ("switched" as const)
      : undefined;
  }
  if (contract.status === "active") {
    // A switch application not yet approved moves onto the new term (contracts-repo renew).
    const lock = await repo.getSignedLock(contract.residentId);
    const renewed = await repo.renew(contract, nextTerm(contract, at), at, lock?.pendingSwitchContractId);
    return renewed ? ("renewed" as const) : undefined;
  }
  return undefined;
}

/**
 * Every reminder day and annual-survey lead some centre uses (each centre's setting, the default
 * where it set none): the days planned each run. A contract is handled only on its own centre's
 * days (remind, annualInvitation).
 */
async function daysOfTeamCentre(teamId: string) {
  const team = await getTeam(teamId);
  const s = team ? await settingsOf(team.centreId) : undefined;
  return {
    renewalReminder: s?.renewalReminderDays ?? [...DEFAULT_SETTINGS.renewalReminderDays],
    annualSurveyLead: [s?.annualSurveyLeadDays ?? DEFAULT_SETTINGS.annualSurveyLeadDays],
  };
}

async function daysOfAllCentres() {
  const reminder = new Set<number>(DEFAULT_SETTINGS.renewalReminderDays);
  const lead = new Set<number>([DEFAULT_SETTINGS.annualSurveyLeadDays]);
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await listCentres(100, cursor);
    for (const s of await Promise.all(res.items.map((c) => settingsOf(c.centreId)))) {
      for (const d of s.renewalReminderDays) reminder.add(d);
      lead.add(s.annualSurveyLeadDays);
    }
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  const desc = (set: Set<number>) => [...set].sort((a, b) => b - a);
  return { renewalReminder: desc(reminder), annualSurveyLead: desc(lead) };
}

/**
 * The evaluation before renewal: one invitation per contract term (the occasion names the
 * contract, and a renewal is a new contract), naming the team, `days` before the end.
 */
async function annualInvitation(
  contractId: string,
  days: number,
  now: Date,
  settingsOfCentre: (centreId: string) => Promise<CentreSettingValues>,
) {
  const contract = await repo.getContract(contractId);
  if (contract?.status !== "active" || contract.switchToContractId) return undefined;
  const settings = await settingsOfCentre(contract.centreId);
  if (settings.annualSurveyLeadDays !== days) return undefined;
  const survey = await activeSurveyFor(contract.centreId, "annual");
  if (!survey) return undefined;
  const { created } = await inviteOnce({
    survey,
    centreId: contract.centreId,
    residentId: contract.residentId,
    occasion: `annual#${contract.contractId}`,
    about: { teamId: contract.teamId, teamName: contract.teamName, contractId: contract.contractId },
    at: now,
    expiryDays: settings.surveyExpiryDays,
    counted: true,
  });
  return created ? ("invited" as const) : undefined;
}

async function remind(
  contractId: string,
  days: number,
  now: Date,
  settingsOfCentre: (centreId: string) => Promise<CentreSettingValues>,
) {
  const contract = await repo.getContract(contractId);
  if (contract?.status !== "active" || contract.switchToContractId) return undefined;
  if (!(await settingsOfCentre(contract.centreId)).renewalReminderDays.includes(days)) return undefined;
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
  return sent ? ("reminded" as const) : undefined;
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
