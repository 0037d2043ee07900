import { anonymiseResidentAppointments } from "../../data/appointments-repo.js";
import { anonymiseResidentContracts } from "../../data/contracts-repo.js";
import { deleteAccount } from "../../data/identity-repo.js";
import { httpHandler } from "../../lib/http.js";
import { currentUser } from "../../services/identity.js";

export const handler = httpHandler("deleteMyAccount", async ({ session }) => {
  const erased = await deleteAccount(await currentUser(session));
  for (const residentId of erased) {
    await anonymiseResidentContracts(residentId);
    await anonymiseResidentAppointments(residentId);
  }
  return { deleted: true as const, erasedResidents: erased.length };
});
