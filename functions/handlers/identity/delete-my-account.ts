import { anonymiseResidentAppointments } from "../../data/appointments-repo.js";
import { anonymiseResidentContracts } from "../../data/contracts-repo.js";
import { deleteAccount } from "../../data/identity-repo.js";
import { clearInbox } from "../../data/inbox-repo.js";
import { anonymiseOffers } from "../../data/waitlist-repo.js";
import { httpHandler } from "../../lib/http.js";
import { endResidentFootprint, erasableResidents } from "../../services/erasure.js";
import { currentUser } from "../../services/identity.js";

/**
 * Erasure in an order a retry can finish: first what the residents hold ends (contracts, visits,
 * offers) while the account still exists to retry with; then the personal data goes; then the
 * names left on records kept for statistics.
 */
export const handler = httpHandler("deleteMyAccount", async ({ session }) => {
  const user = await currentUser(session);
  const ended = new Map<string, Awaited<ReturnType<typeof endResidentFootprint>>>();
  for (const residentId of await erasableResidents(user))
    ended.set(residentId, await endResidentFootprint(residentId));
  const erased = await deleteAccount(user);
  for (const residentId of erased) {
    await anonymiseResidentContracts(residentId, ended.get(residentId)?.contracts);
    await anonymiseResidentAppointments(residentId, ended.get(residentId)?.appointments);
    await anonymiseOffers(residentId);
    await clearInbox(residentId);
  }
  return { deleted: true as const, erasedResidents: erased.length };
});
