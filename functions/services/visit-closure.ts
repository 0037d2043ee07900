import { addDays, todayInChina } from "../../shared/dates.js";
import * as repo from "../data/appointments-repo.js";
import { OPEN_VISIT, visitDayOver } from "../domain/appointments.js";
import { mapLimit } from "../lib/concurrency.js";
import { continueChain, type PageRef } from "./paged-jobs.js";

/** Days looked back each run, as for renewals: a few missed runs are caught up. */
const CATCH_UP_DAYS = 7;
export const VISIT_CLOSURE_PAGE_SIZE = 100;

/** A page of one finished day's visits still open (optionally one team's). */
export type VisitClosurePage = PageRef & { kind: "visit-closure"; date: string; teamId?: string; at: string };

/** The closing pages for the days just ended, planned with the daily renewals run. */
export function visitClosurePages(now: Date, runId: string, teamId?: string): VisitClosurePage[] {
  const today = todayInChina(now);
  const pages: VisitClosurePage[] = [];
  for (let back = CATCH_UP_DAYS; back >= 1; back--) {
    const date = addDays(today, -back);
    pages.push({
      kind: "visit-closure",
      chain: `${runId}:close:${date}`,
      page: 0,
      date,
      teamId,
      at: now.toISOString(),
    });
  }
  return pages;
}

/**
 * Each visit of a finished day that nobody recorded becomes `unrecorded` (未记录), releasing the
 * resident's open booking; the status condition makes that happen once however often a page runs.
 */
export async function visitClosurePage(message: VisitClosurePage) {
  if (!visitDayOver(message.date, new Date(message.at))) return { visits: 0, closed: 0 };
  const page = await repo.openVisitsPage(
    message.date,
    message.teamId,
    VISIT_CLOSURE_PAGE_SIZE,
    message.cursor,
  );
  if (page.nextCursor) await continueChain(message, page.nextCursor);
  const found = await repo.appointmentsByIds(page.items.map((i) => i.appointmentId));
  const outcomes = await mapLimit(page.items, 10, async (entry) => {
    const appointment = found.find((a) => a.appointmentId === entry.appointmentId);
    if (appointment && OPEN_VISIT.includes(appointment.status)) return repo.closeUnrecorded(appointment);
    // Already final (its entry outlived it): nothing to close.
    await repo.dropOpenVisit(message.date, entry.teamId, entry.appointmentId);
    return false;
  });
  return { visits: page.items.length, closed: outcomes.filter(Boolean).length };
}
