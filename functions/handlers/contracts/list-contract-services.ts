import { listServices } from "../../data/contracts-repo.js";
import { httpHandler } from "../../lib/http.js";
import { loadVisible } from "../../services/contracts.js";

export const handler = httpHandler("listContractServices", async ({ session, params, query }) => {
  await loadVisible(session, params.contractId);
  const page = await listServices(params.contractId, query.limit, query.cursor);
  return {
    items: page.items.map(({ staffUserId: _staff, serviceType, ...service }) => ({
      ...service,
      type: serviceType,
    })),
    nextCursor: page.nextCursor,
  };
});
