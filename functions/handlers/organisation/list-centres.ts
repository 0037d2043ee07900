import { listCentres } from "../../data/centres-repo.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("listCentres", async ({ query }) => {
  const page = await listCentres(query.limit, query.cursor);
  return {
    items: page.items.map(({ centreId, name, neighbourhoods }) => ({ centreId, name, neighbourhoods })),
    nextCursor: page.nextCursor,
  };
});
