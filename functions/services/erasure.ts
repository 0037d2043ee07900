import * as appointments from "../data/appointments-repo.js";
import * as contracts from "../data/contracts-repo.js";
import * as homeVisits from "../data/home-visits-repo.js";
import { representedForErasure } from "../data/identity-repo.js";
import * as notices from "../data/notices-repo.js";
import * as waitlist from "../data/waitlist-repo.js";
import type { AppointmentRecord } from "../domain/appointments.js";
import type { Actor } from "../domain/contracts.js";
import type { UserRecord } from "../domain/residents.js";
import { offerFreedPlace } from "./waitlist.js";

/**
 * What erasing an account ends for each resident it erases, before the personal data goes: every
 * running contract (reason `account_erased`, so the place is freed), a pending or scheduled switch,
 * open appointments (their places go back to the slot and the waiting list), open waitlist offers
 * and lecture registrations not yet attended; a waiting-list entry is passed over when its turn
 * comes (services/waitlist.ts). Each step is conditioned on the state it changes, so a retried erasure does nothing
 * twice. The month's anonymous statistics are left as they were.
 */
const system: Actor = { kind: "system", userId: "system" };
const ERASED = "account_erased" as const;

/** The residents erasing this account erases (identity-repo decides, as deleteAccount does). */
export const erasableResidents = async (user: Pick<UserRecord, "userId">): Promise<string[]> =>
  (await representedForErasure(user.userId)).filter((r) => r.erase).map((r) => r.residentId);

export async function endResidentFootprint(residentId: string, now = new Date()) {
  const at = now.toISOString();
  const ended: string[] = [];
  await endContracts(residentId, at, ended);
  // Read from the resident's own partition (consistent): a visit booked a moment ago is not missed.
  const held = await appointments.heldAppointments(residentId);
  const cancelled = await cancelOpenAppointments(held, now);
  const offers = await lapseOpenOffers(residentId, now);
  // An open or scheduled home-visit request is closed (its visit, if any, was just cancelled).
  const open = await homeVisits.openRequestOf(residentId);
  const request = open ? await homeVisits.getRequest(open.requestId) : undefined;
  if (request) await homeVisits.closeForErasure(request, at);
  // Registrations not yet attended give their seat back; attended ones are history.
  let lectures = 0;
  for (const { noticeId } of await notices.residentLectures(residentId))
    if (await notices.unregister(noticeId, residentId)) lectures++;
  return { contracts: ended, appointments: held.map((a) => a.appointmentId), cancelled, offers, lectures };
}

/** Ends what the lock names (read consistently, so a contract signed a moment ago is not missed). */
async function endContracts(residentId: string, at: string, ended: string[]) {
  const lock = await contracts.getSignedLock(residentId);
  if (!lock || ended.includes(lock.contractId)) return;
  ended.push(lock.contractId);
  if (lock.pendingSwitchContractId) ended.push(lock.pendingSwitchContractId);
  if (lock.pendingSwitchContractId) {
    const next = await contracts.getContract(lock.pendingSwitchContractId);
    if (next?.status === "pending") await contracts.closeApplication(next, "withdrawn", system, at, ERASED);
    if (next?.status === "scheduled") await contracts.cancelScheduledSwitch(next, system, at);
  }
  const running = await contracts.getContract(lock.contractId);
  if (running?.status === "pending")
    await contracts.closeApplication(running, "withdrawn", system, at, ERASED);
  if (running?.status === "active" || running?.status === "terminating")
    await contracts.endContract(running, running.status, system, at, ERASED, ERASED);
  // Whatever moved meanwhile (a renewal, an approval) is ended on the next look.
  const after = await contracts.getSignedLock(residentId);
  if (after && after.contractId !== lock.contractId) await endContracts(residentId, at, ended);
}

async function cancelOpenAppointments(held: readonly AppointmentRecord[], now: Date) {
  let cancelled = 0;
  for (const a of held) {
    if (a.status !== "booked" || Date.parse(a.endsAt) <= now.getTime()) continue;
    const cancellation = {
      by: "resident",
      reason: "账号已注销",
      at: now.toISOString(),
      byUserId: "system",
    } as const;
    if (await appointments.cancel(a, cancellation)) {
      cancelled++;
      await offerFreedPlace(a.slotId, now);
    }
  }
  // A visit under way (checked in) is left for the team to record.
  return cancelled;
}

async function lapseOpenOffers(residentId: string, now: Date) {
  let lapsed = 0;
  for (const offer of await waitlist.offersOfResident(residentId)) {
    if (offer.status === "open" && (await waitlist.expire(offer))) {
      lapsed++;
      await offerFreedPlace(offer.slotId, now);
    }
  }
  return lapsed;
}
