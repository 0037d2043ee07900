import { keys } from "../data/keys.js";
import * as stats from "../data/stats-repo.js";
import {
  type Projection,
  projectAppointment,
  projectContract,
  projectFollowUp,
  projectInbox,
  projectNotice,
  projectRegistration,
  projectService,
  projectSurveyResponse,
  projectTeam,
} from "../domain/reports.js";
import { monthOf } from "../domain/surveys.js";
import { mapLimit } from "../lib/concurrency.js";
import { followRequest, followVisit } from "./home-visits.js";
import { reviseMonth } from "./month-closing.js";
import { invite, recordVisitStaff } from "./surveys.js";
import { worklistWork } from "./worklist.js";

/**
 * Projects a batch of changed items of the table (stream records of one shard, in order) into
 * report counters (each in the month its event happened, Asia/Shanghai: month-end figures as each
 * month's net movement), revisions of closed months, and survey invitations.
 *
 * A batch is handled in three steps: (1) each record is read into a plan (what it counts, which
 * invitations follow), a few records at a time; (2) the counters of the whole batch are applied
 * together, each hot counter item getting one aggregated ADD per transaction of up to 50 records,
 * with a marker per record (data/stats-repo.ts `applyProjections`); (3) a revision check for each
 * closed month the batch moved (services/month-closing.ts), then invitations. Every effect is
 * idempotent: counters through the record's marker, revisions by comparing with the month's
 * latest version, invitations by their derived id; so a redelivered batch changes nothing. Item
 * types this projector does not know (including its own writes) are ignored, as are the types of
 * capabilities not deployed yet. A batch handled whole moves the projector's position.
 */
type Image = Record<string, unknown>;

export interface Change {
  eventId: string;
  eventName: "INSERT" | "MODIFY" | "REMOVE";
  old?: Image;
  next?: Image;
  /** When the change happened (the record's ApproximateCreationDateTime). */
  at: string;
}

/** What one record does, decided from its images and a few reads, before anything is written. */
interface Plan {
  projection: Projection | null;
  /** Idempotent writes after the counters: `facts` (that effects of the batch read) first. */
  facts: (() => Promise<unknown>)[];
  effects: (() => Promise<unknown>)[];
}

export interface BatchOutcome {
  /** Index of the first record not fully handled (it and all after it must be retried), or null. */
  failedFrom: number | null;
  error?: unknown;
  records: number;
  counters: stats.ApplyStats;
}

/** Records read at once while planning, and effects run at once. */
const CONCURRENCY = 25;

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
const none = (projection: Projection | null = null): Plan => ({
  projection,
  facts: [],
  effects: [],
});

/** Reads of one batch, each key once (a fan-out's thousand inbox messages share one notice). */
function batchReader() {
  const cache = new Map<string, Promise<Image | undefined>>();
  return (key: { pk: string; sk: string }) => {
    const id = `${key.pk}\u0000${key.sk}`;
    let found = cache.get(id);
    if (!found) {
      found = stats.readNow<Image>(key);
      cache.set(id, found);
      // A failed read is not kept: the record that needs it fails, and a later one reads again.
      found.catch(() => cache.delete(id));
    }
    return found;
  };
}

async function planChange(change: Change, read: ReturnType<typeof batchReader>): Promise<Plan> {
  if (change.eventName === "REMOVE") return none();
  const image = change.next ?? change.old;
  const type = str(image?.type);
  const { old, next, at } = change;
  switch (type) {
    case "Contract":
      return none(projectContract(old, next, at));
    case "Team":
      return none(projectTeam(old, next, at));
    case "Appointment": {
      const plan = none(projectAppointment(old, next));
      if (next?.status === "completed" && old?.status !== "completed") {
        const appointmentId = String(next.appointmentId);
        plan.effects.push(async () => {
          // Read after the batch's facts: the visit's staff may be recorded in this batch.
          const staff = await read(keys.visitStaff(appointmentId));
          const staffId = str(staff?.staffUserId);
          await invite({
            trigger: "after_appointment",
            centreId: String(next.centreId),
            residentId: String(next.residentId),
            occasion: `appointment#${appointmentId}`,
            about: {
              appointmentId,
              teamId: str(next.teamId) ?? null,
              serviceType: next.serviceType as never,
              ...(staffId ? { staffId } : {}),
            },
            at,
          });
        });
      }
      return plan;
    }
    case "Service": {
      if (!next) return none();
      if (old) {
        // Voided by a corrected visit outcome: counted down in the month it was counted in.
        if (!next.voidedAt || old.voidedAt) return none();
        const voided = str(next.contractId);
        return none(projectService(next, voided ? await read(keys.contract(voided)) : undefined, -1));
      }
      const contractId = str(next.contractId);
      const contract = contractId ? await read(keys.contract(contractId)) : undefined;
      const plan = none(projectService(next, contract));
      const serviceId = str(next.serviceId);
      const staff = str(next.staffUserId);
      if (next.source === "appointment" && serviceId?.startsWith("appt_") && staff)
        plan.facts.push(() => recordVisitStaff(serviceId.slice("appt_".length), staff));
      return plan;
    }
    case "Notice":
      return none(projectNotice(old, next, at));
    case "SurveyResponse":
      return none(projectSurveyResponse(old, next));
    case "FollowUp":
      return none(projectFollowUp(old, next));
    case "InboxMessage": {
      const noticeId = str(next?.noticeId);
      if (!noticeId) return none();
      const notice = await read(keys.notice(noticeId));
      return none(projectInbox(old, next, notice, at));
    }
    case "LectureRegistration": {
      const noticeId = str(next?.noticeId);
      const notice = noticeId ? await read(keys.notice(noticeId)) : undefined;
      const plan = none(projectRegistration(old, next, notice, at));
      const residentId = str(next?.residentId);
      const centreId = str(next?.centreId) ?? str(notice?.centreId);
      if (next && str(next.attendedAt) && !str(old?.attendedAt) && noticeId && residentId && centreId) {
        plan.effects.push(() =>
          invite({
            trigger: "after_lecture",
            centreId,
            residentId,
            occasion: `lecture#${noticeId}`,
            about: { noticeId, teamId: str(next.teamId) ?? str(notice?.teamId) ?? null },
            at: str(next.attendedAt) ?? at,
          }),
        );
      }
      return plan;
    }
    default:
      return none();
  }
}

/**
 * Handles a batch. Never throws: the outcome names the first record that was not fully handled,
 * so the stream retries from it (everything before it is done; what after it got done already is
 * idempotent). Stops starting new work at `deadline` and reports the rest for the retry.
 */
export async function projectBatch(
  changes: readonly Change[],
  options: { deadline?: number } = {},
): Promise<BatchOutcome> {
  let failedFrom = changes.length;
  let error: unknown;
  const fail = (index: number, cause: unknown) => {
    if (index < failedFrom) {
      failedFrom = index;
      error = cause;
    }
  };
  const outOfTime = () => options.deadline !== undefined && Date.now() >= options.deadline;
  const read = batchReader();
  const outcome = (counters: stats.ApplyStats): BatchOutcome => ({
    failedFrom: failedFrom < changes.length ? failedFrom : null,
    error,
    records: changes.length,
    counters,
  });

  // 1. Plans (reads only).
  const plans = await mapLimit(changes, CONCURRENCY, async (change, i) => {
    if (i >= failedFrom) return undefined;
    try {
      return await planChange(change, read);
    } catch (cause) {
      fail(i, cause);
      return undefined;
    }
  });

  // 2. The batch's counters, aggregated.
  const counted = plans.slice(0, failedFrom).flatMap((plan, index) => {
    const eventId = changes[index]?.eventId;
    return plan?.projection && eventId ? [{ index, entry: { eventId, projection: plan.projection } }] : [];
  });
  let counters: stats.ApplyStats = {
    applied: 0,
    duplicates: 0,
    transactions: 0,
    items: 0,
    attempts: 0,
    resubmits: 0,
    retries: { conflict: 0, throttle: 0 },
  };
  try {
    counters = await stats.applyProjections(
      counted.map((c) => c.entry),
      options,
    );
  } catch (cause) {
    const at = cause instanceof stats.ProjectionError ? cause.index : 0;
    fail(counted[at]?.index ?? 0, cause instanceof stats.ProjectionError ? cause.cause : cause);
  }

  // 3. Revisions and effects of the records handled so far, each phase after the one before.
  const phases: { index: number; run: () => Promise<unknown> }[][] = [
    revisionsOf(changes, plans.slice(0, failedFrom)),
    plans.flatMap((plan, index) => (plan?.facts ?? []).map((run) => ({ index, run }))),
    plans.flatMap((plan, index) => (plan?.effects ?? []).map((run) => ({ index, run }))),
    // The team's work-list: one refresh per resident, visit or request the batch touched.
    worklistWork(changes, { visit: followVisit, request: followRequest }),
  ];
  for (const phase of phases) {
    const work = phase.filter((w) => w.index < failedFrom);
    if (work.length && outOfTime()) {
      fail(Math.min(...work.map((w) => w.index)), new Error("out of time before the record's effects"));
      break;
    }
    await mapLimit(work, CONCURRENCY, async (w) => {
      try {
        await w.run();
      } catch (cause) {
        fail(w.index, cause);
      }
    });
  }
  // The position only moves over batches handled whole: a month closes once it is past month end.
  const newest = changes
    .map((c) => c.at)
    .sort()
    .at(-1);
  if (failedFrom === changes.length && newest) {
    try {
      await stats.advancePosition(newest);
    } catch {
      // The next batch moves it; a month only closes a little later.
    }
  }
  return outcome(counters);
}

/**
 * One revision check per closed centre-month whose counters the batch moved (a past month: the
 * current one is never closed), dated by the newest change to it; after the counters are applied.
 */
function revisionsOf(changes: readonly Change[], plans: readonly (Plan | undefined)[]) {
  const current = monthOf(new Date().toISOString());
  const touched = new Map<string, { centreId: string; month: string; at: string; index: number }>();
  for (const [index, plan] of plans.entries()) {
    const p = plan?.projection;
    const at = changes[index]?.at ?? "";
    for (const c of p?.counters ?? []) {
      if (!p || c.month >= current) continue;
      const id = `${p.centreId}#${c.month}`;
      const seen = touched.get(id);
      if (!seen) touched.set(id, { centreId: p.centreId, month: c.month, at, index });
      else if (at > seen.at) seen.at = at;
    }
  }
  return [...touched.values()].map((t) => ({
    index: t.index,
    run: () => reviseMonth(t.centreId, t.month, t.at),
  }));
}
