import { listEvents } from "../../data/contracts-repo.js";
import { httpHandler } from "../../lib/http.js";
import { loadVisible } from "../../services/contracts.js";

// A contract has a handful of events in its life, so one page holds them all.
export const handler = httpHandler("listContractEvents", async ({ session, params }) => {
  await loadVisible(session, params.contractId);
  const events = await listEvents(params.contractId);
  return {
    items: events.map(({ at, event, from, to, byRole, reason }) => ({ at, event, from, to, byRole, reason })),
    nextCursor: null,
  };
});
