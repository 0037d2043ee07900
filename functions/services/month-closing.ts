import { todayInChina } from "../../shared/dates.js";
import { listCentres } from "../data/centres-repo.js";
import { type MonthVersion, monthVersions, projectorPosition, putMonthVersion } from "../data/stats-repo.js";
import { CATCH_UP_MONTHS, closable, previousMonth, rowChanges } from "../domain/month-closing.js";
import { reportRow } from "../domain/reports.js";
import { monthFromFacts } from "./reports.js";

/**
 * Closing a centre's month, and revising a closed one.
 *
 * A month closes (the daily run, once the stream projector is past the month's end and the day
 * after) with its figures computed from the facts: counters bucketed by each event's month, month
 * ends carried from the month before. From then on the report shows those figures; a later change
 * to the month's facts (a visit outcome corrected within its window, a late read of a notice of
 * the month) makes a new revision with its date and what it changed, so a figure once reported
 * never changes silently. Each version is a conditional Put of the next revision number, so
 * concurrent writers cannot overwrite each other: the loser reads again and decides anew.
 */

const ATTEMPTS = 5;

const rowsOf = (v: Pick<MonthVersion, "teams" | "total">) => [
  ...v.teams.map((t) => reportRow(t.teamId, t.name, t.f)),
  reportRow("total", "", v.total),
];

const versionOf = async (centreId: string, month: string) => {
  const { figures, total } = await monthFromFacts(centreId, month, { consistent: true });
  return { teams: figures.map(({ team, f }) => ({ teamId: team.teamId, name: team.name, f })), total };
};

/**
 * Writes a new revision if the month's facts now say something else than its latest version;
 * nothing for a month not closed. `at` dates the revision (when the correcting change happened).
 * Returns the revision written, or null.
 */
export async function reviseMonth(centreId: string, month: string, at: string): Promise<number | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const versions = await monthVersions(centreId, month);
    const latest = versions.at(-1);
    if (!latest) return null;
    const next = await versionOf(centreId, month);
    const changes = rowChanges(rowsOf(latest), rowsOf(next));
    if (!changes.length) return null;
    const revision = latest.revision + 1;
    if (await putMonthVersion(centreId, month, { revision, at, ...next, changes })) return revision;
  }
  throw new Error(`month ${centreId} ${month}: revision kept being taken by another writer`);
}

export type CloseOutcome = "closed" | "already_closed" | "not_yet";

/** Closes one centre-month if it may close now; a closing is followed by a revision check. */
export async function closeMonth(centreId: string, month: string, now: Date): Promise<CloseOutcome> {
  if ((await monthVersions(centreId, month)).length) return "already_closed";
  if (!closable(month, now, await projectorPosition())) return "not_yet";
  const version = await versionOf(centreId, month);
  const at = now.toISOString();
  if (!(await putMonthVersion(centreId, month, { revision: 0, at, ...version, changes: [] })))
    return "already_closed";
  // A correction counted between the read above and the Put did not see the month closed: this
  // read comes after the Put, so it sees that correction (later ones revise the month themselves).
  await reviseMonth(centreId, month, at);
  return "closed";
}

/**
 * The daily run: for every centre, closes the months that may close, oldest first (a month's end
 * is the next one's start), from CATCH_UP_MONTHS back to the month before the current one.
 */
export async function closeDueMonths(
  now: Date,
  /** Only these centres (operations, and tests that must not touch others' months). */
  only?: readonly string[],
) {
  const last = previousMonth(todayInChina(now).slice(0, 7));
  const months = [last];
  while (months.length < CATCH_UP_MONTHS) months.unshift(previousMonth(months[0] as string));
  const outcome = { centres: 0, closed: 0, notYet: 0 };
  const close = async (centreId: string) => {
    outcome.centres++;
    for (const month of months) {
      const result = await closeMonth(centreId, month, now);
      if (result === "closed") outcome.closed++;
      // A later month cannot close before this one.
      if (result === "not_yet") {
        outcome.notYet++;
        break;
      }
    }
  };
  if (only) {
    for (const centreId of only) await close(centreId);
    return outcome;
  }
  let cursor: string | undefined;
  do {
    const page = await listCentres(100, cursor);
    for (const centre of page.items) await close(centre.centreId);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return outcome;
}
