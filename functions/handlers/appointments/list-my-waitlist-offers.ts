import { listRepresentations } from "../../data/identity-repo.js";
import { httpHandler } from "../../lib/http.js";
import { listMyOffers } from "../../services/waitlist.js";

// Offers live 30 minutes and a family holds a few: the newest twenty per person are the whole list.
export const handler = httpHandler("listMyWaitlistOffers", async ({ session }) => {
  const residentIds = (await listRepresentations(session.userId)).map((r) => r.residentId);
  return { items: await listMyOffers(residentIds), nextCursor: null };
});
