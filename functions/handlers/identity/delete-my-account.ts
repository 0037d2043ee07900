import { deleteAccount } from "../../data/identity-repo.js";
import { httpHandler } from "../../lib/http.js";
import { currentUser } from "../../services/identity.js";

export const handler = httpHandler("deleteMyAccount", async ({ session }) => {
  const erasedResidents = await deleteAccount(await currentUser(session));
  return { deleted: true as const, erasedResidents };
});
