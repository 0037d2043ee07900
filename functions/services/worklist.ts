import type { z } from "zod";
import { addDays, todayInChina, yearInChina } from "../../shared/dates.js";
import { WORKLIST_KIND_NAMES, type WorklistKind, type WorklistQuery } from "../../shared/schemas/care.js";
import { DEFAULT_SETTINGS } from "../../shared/settings.js";
import { getTeam } from "../data/centres-repo.js";
import { getContract, getSignedLock, lastDelivered } from "../data/contracts-repo.js";
import { getResident } from "../data/identity-repo.js";
import { get } from "../data/items.js";
import { keys } from "../data/keys.js";
import * as repo from "../data/worklist-repo.js";
import type { AppointmentRecord } from "../domain/appointments.js";
import type { ContractRecord } from "../domain/contracts.js";
import { groupsOf } from "../domain/residents.js";
import {
  CONTRACT_KINDS,
  checkDates,
  contractItems,
  type DesiredItem,
  LAST_DONE_SERVICE,
  type ResidentFacts,
  rostersOf,
} from "../domain/worklist.js";
import { mapLimit } from "../lib/concurrency.js";
import { forbidden, notFound } from "../lib/errors.js";
import type { Session } from "../lib/session.js";
import { isManagerOf, isStaffOf } from "./access.js";
import { continueChain, type PageRef } from "./paged-jobs.js";

/**
 * Keeps the team's work-list (issue 16). Each refresh reads the current state of one resident,
 * visit or request, derives the items it should have (domain/worklist.ts) and writes only the
 * difference, each write conditional (data/worklist-repo.ts). Reading the current state rather
 * than the record's images is what makes the stream's redelivery, reordering and the daily job's
 * re-runs all harmless: the same state gives the same items.
 */

type Image = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

/**
 * The kinds whose open items the monthly report reads (chronic patients on schedule): a change of
 * their count is copied into the team's month snapshot, as a roster change is.
 */
const REPORTED_KINDS = new Set<WorklistKind>(["followup_behind"]);

/** Fills `lastDoneAt` where the item names a service: this contract's last, else its predecessor's. */
async function withLastDone(desired: DesiredItem[], contract: ContractRecord | undefined) {
  const types = [...new Set(desired.flatMap((d) => LAST_DONE_SERVICE[d.kind] ?? []))];
  if (!contract || types.length === 0) return desired;
  const found = await lastDelivered(contract.contractId, types);
  const before = contract.previousContractId ?? contract.switchFromContractId;
  const missing = types.filter((t) => !found[t]);
  if (before && missing.length) {
    const earlier = await lastDelivered(before, missing);
    for (const t of missing) if (earlier[t]) found[t] = earlier[t];
  }
  return desired.map((d) => {
    const type = LAST_DONE_SERVICE[d.kind];
    const last = type ? found[type] : undefined;
    return last ? { ...d, lastDoneAt: last } : d;
  });
}

/** A resident's contract-derived items (review, follow-ups, assessment, home visit, renewal, reach). */
export async function refreshResident(
  residentId: string,
  options: { now?: Date; clearTeams?: readonly string[]; schedule?: boolean } = {},
) {
  const now = options.now ?? new Date();
  const today = todayInChina(now);
  const [lock, resident] = await Promise.all([getSignedLock(residentId), getResident(residentId)]);
  const contract = lock && resident && !resident.erasedAt ? await getContract(lock.contractId) : undefined;
  // An erased resident's record keeps no birth date (identity-repo): no groups, no items.
  const groups =
    resident && !resident.erasedAt ? groupsOf(resident.birthDate, resident.declaredGroups, today) : [];
  const running = contract && (contract.status === "active" || contract.status === "terminating");
  const [reached, reminderRead] = await Promise.all([
    running && resident
      ? get(keys.householdNoticed(yearInChina(now), resident.householdId))
      : Promise.resolve({}),
    contract ? repo.reminderWasRead(residentId, contract.contractId) : Promise.resolve(false),
  ]);
  const facts: ResidentFacts = {
    contract,
    groups,
    householdReached: reached !== undefined,
    reminderRead,
  };
  const desired = await withLastDone(
    contractItems(facts, now, DEFAULT_SETTINGS.reviewDeadlineHours),
    contract,
  );
  const rosters = contract && resident ? rostersOf(facts) : [];
  const teams = new Set(options.clearTeams ?? []);
  if (contract) teams.add(contract.teamId);
  const slots = [...teams].flatMap((teamId) =>
    CONTRACT_KINDS.map((kind) => ({ teamId, kind, key: keys.workItem(teamId, kind, residentId) })),
  );
  const rosterSlots = [...teams].flatMap((teamId) =>
    repo.CARE_ROSTERS.map((roster) => ({ teamId, roster, residentId })),
  );
  const [existing, onRosters] = await Promise.all([
    repo.currentItems(slots.map((s) => s.key)),
    repo.currentRosters(rosterSlots.map((r) => ({ ...r, roster: r.roster.roster }))),
  ]);
  const at = now.toISOString();
  // Teams whose report figures moved: their month snapshot is written again.
  const reported = new Set<string>();
  // Rosters joined before the items and left after them: an open followup_behind item always
  // has its resident on the chronic roster, so the report's on-schedule count never dips below.
  const rosterMoves = rosterSlots.flatMap(({ teamId, roster }) => {
    const want = contract?.teamId === teamId && rosters.includes(roster.roster);
    return want === onRosters.has(`${teamId}#${roster.roster}`) ? [] : [{ teamId, roster, want }];
  });
  const moveRosters = (want: boolean) =>
    mapLimit(
      rosterMoves.filter((m) => m.want === want),
      4,
      async ({ teamId, roster }) => {
        if (await repo.setRoster(teamId, roster, residentId, want, at)) reported.add(teamId);
      },
    );
  await moveRosters(true);
  await mapLimit(slots, 6, async ({ teamId, kind, key }) => {
    const want = contract && teamId === contract.teamId ? desired.find((d) => d.kind === kind) : undefined;
    const stored = existing.get(repo.idOf(key));
    if (want && resident) {
      const outcome = await repo.ensureItem(
        { ...want, teamId, residentId, name: resident.name, groups, updatedAt: at },
        stored,
      );
      if (outcome === "created" && REPORTED_KINDS.has(kind)) reported.add(teamId);
    } else if (stored && (await repo.removeItem(teamId, kind, key)) && REPORTED_KINDS.has(kind))
      reported.add(teamId);
  });
  await moveRosters(false);
  await mapLimit([...reported], 2, (teamId) => repo.snapshotCounts(teamId));
  if (options.schedule && contract)
    await repo.scheduleChecks(
      contract.teamId,
      residentId,
      checkDates(facts, now, DEFAULT_SETTINGS.reviewDeadlineHours),
    );
  return desired.length;
}

/** Puts a visit on the list while it is `unrecorded`, and takes it off once recorded. */
export async function refreshVisit(appointment: AppointmentRecord) {
  const key = keys.workItem(
    appointment.teamId,
    "unrecorded_visit",
    appointment.residentId,
    appointment.appointmentId,
  );
  const existing = (await repo.currentItems([key])).get(repo.idOf(key));
  if (appointment.status !== "unrecorded") {
    if (existing) await repo.removeItem(appointment.teamId, "unrecorded_visit", key);
    return;
  }
  const resident = await getResident(appointment.residentId);
  await repo.ensureItem(
    {
      kind: "unrecorded_visit",
      teamId: appointment.teamId,
      residentId: appointment.residentId,
      name: appointment.residentName,
      groups:
        resident && !resident.erasedAt
          ? groupsOf(resident.birthDate, resident.declaredGroups, todayInChina())
          : [],
      dueBy: addDays(appointment.date, DEFAULT_SETTINGS.outcomeCorrectionDays),
      reason: `${appointment.date} 的就诊未登记结果，请在 ${DEFAULT_SETTINGS.outcomeCorrectionDays} 天内更正`,
      appointmentId: appointment.appointmentId,
      updatedAt: new Date().toISOString(),
    },
    existing,
  );
}

/** A notice reached the resident's inbox: the household is no longer "not reached" this year. */
export async function noticeReached(residentId: string, teamId: string) {
  const key = keys.workItem(teamId, "not_reached", residentId);
  if ((await repo.currentItems([key])).has(repo.idOf(key))) await repo.removeItem(teamId, "not_reached", key);
}

interface Target {
  index: number;
  run: () => Promise<unknown>;
}

/**
 * The work-list's share of a stream batch: one refresh per resident, visit or request however many
 * of the batch's records touch it (each refresh reads the current state, so once is enough), each
 * tagged with the first record that asked for it (a failure retries from there).
 */
export function worklistWork(
  changes: readonly { eventName: string; old?: Image; next?: Image }[],
  handlers: {
    visit: (appointmentId: string) => Promise<unknown>;
    request: (requestId: string) => Promise<unknown>;
  },
): Target[] {
  const residents = new Map<string, { index: number; clearTeams: Set<string>; schedule: boolean }>();
  const others = new Map<string, Target>();
  const once = (id: string, index: number, run: () => Promise<unknown>) => {
    if (!others.has(id)) others.set(id, { index, run });
  };
  changes.forEach((change, index) => {
    if (change.eventName === "REMOVE" || !change.next) return;
    const { old, next } = change;
    switch (str(next.type)) {
      case "Contract": {
        const residentId = str(next.residentId);
        const moved = (f: string) => JSON.stringify(old?.[f]) !== JSON.stringify(next[f]);
        if (
          !residentId ||
          !["status", "startDate", "endDate", "delivered", "appliedAt", "teamId"].some(moved)
        )
          return;
        const entry = residents.get(residentId) ?? { index, clearTeams: new Set<string>(), schedule: false };
        for (const t of [str(old?.teamId), str(next.teamId)]) if (t) entry.clearTeams.add(t);
        entry.schedule ||= moved("status") || moved("startDate") || moved("endDate");
        residents.set(residentId, entry);
        return;
      }
      case "Appointment": {
        const appointmentId = str(next.appointmentId);
        if (!appointmentId || old?.status === next.status) return;
        if (old?.status === "unrecorded" || next.status === "unrecorded" || str(next.homeVisitRequestId))
          once(`visit#${appointmentId}`, index, () => handlers.visit(appointmentId));
        return;
      }
      case "HomeVisitRequest": {
        const requestId = str(next.requestId);
        if (requestId && old?.status !== next.status)
          once(`request#${requestId}`, index, () => handlers.request(requestId));
        return;
      }
      case "InboxMessage": {
        const residentId = str(next.residentId);
        const teamId = str(next.teamId);
        if (!old && residentId && teamId && str(next.noticeId))
          once(`reached#${residentId}#${teamId}`, index, () => noticeReached(residentId, teamId));
        const contractId = str(next.contractId);
        if (
          next.kind === "renewal_reminder" &&
          next.read === true &&
          old?.read !== true &&
          residentId &&
          contractId
        )
          once(`read#${residentId}`, index, async () => {
            await repo.markReminderRead(residentId, contractId, new Date().toISOString());
            await refreshResident(residentId);
          });
        return;
      }
      default:
        return;
    }
  });
  return [
    ...[...residents].map(([residentId, e]) => ({
      index: e.index,
      run: () => refreshResident(residentId, { clearTeams: [...e.clearTeams], schedule: e.schedule }),
    })),
    ...others.values(),
  ];
}

/** Days looked back by the daily run (a few missed runs are caught up), as for visit closure. */
const CATCH_UP_DAYS = 7;
export const AGENDA_PAGE_SIZE = 100;

export type WorklistAgendaPage = PageRef & {
  kind: "worklist-agenda";
  date: string;
  teamId?: string;
  at: string;
};

/** The agenda pages of the daily run: today and the days just gone. */
export function worklistAgendaPages(now: Date, runId: string, teamId?: string): WorklistAgendaPage[] {
  const today = todayInChina(now);
  const pages: WorklistAgendaPage[] = [];
  for (let back = CATCH_UP_DAYS; back >= 0; back--) {
    const date = addDays(today, -back);
    pages.push({
      kind: "worklist-agenda",
      chain: `${runId}:worklist:${date}`,
      page: 0,
      date,
      teamId,
      at: now.toISOString(),
    });
  }
  return pages;
}

/** One agenda page: each resident re-evaluated as of the run's time, then the day's entry dropped. */
export async function worklistAgendaPage(message: WorklistAgendaPage) {
  const page = await repo.agendaPage(message.date, message.teamId, AGENDA_PAGE_SIZE, message.cursor);
  if (page.nextCursor) await continueChain(message, page.nextCursor);
  const now = new Date(message.at);
  await mapLimit(page.items, 10, async (entry) => {
    await refreshResident(entry.residentId, { now, clearTeams: [entry.teamId] });
    await repo.dropAgenda(entry.date, entry.teamId, entry.residentId);
  });
  return { residents: page.items.length };
}

/** The work-list of a team, one page, with the counts per kind (team staff and the manager). */
export async function teamWorklist(session: Session, teamId: string, query: z.infer<typeof WorklistQuery>) {
  const team = await getTeam(teamId);
  if (!team) throw notFound("团队不存在");
  if (!isStaffOf(session, teamId) && !isManagerOf(session, team.centreId))
    throw forbidden("只有本团队成员或中心管理员可以查看待办");
  const [page, counts] = await Promise.all([
    repo.listWorkItems(teamId, query.kind, query.limit, query.cursor),
    repo.workCounts(teamId),
  ]);
  return {
    items: page.items.map((i) => ({
      kind: i.kind,
      kindName: WORKLIST_KIND_NAMES[i.kind as WorklistKind],
      residentId: i.residentId,
      name: i.name,
      groups: i.groups,
      dueBy: i.dueBy,
      reason: i.reason,
      ...(i.lastDoneAt ? { lastDoneAt: i.lastDoneAt } : {}),
      ...(i.contractId ? { contractId: i.contractId } : {}),
      ...(i.appointmentId ? { appointmentId: i.appointmentId } : {}),
      ...(i.requestId ? { requestId: i.requestId } : {}),
      updatedAt: i.updatedAt,
    })),
    nextCursor: page.nextCursor,
    counts,
  };
}
