import { listTeamsOfCentre } from "../../data/centres-repo.js";
import { teamView } from "../../domain/teams.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("listTeams", async ({ params, query }) => {
  const page = await listTeamsOfCentre(params.centreId, query.limit, query.cursor);
  return { items: page.items.map(teamView), nextCursor: page.nextCursor };
});
