import { listTeamContracts, searchTeamContracts } from "../../data/contracts-repo.js";
import { forbidden } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { isManagerOf, isStaffOf } from "../../services/access.js";
import { contractView, teamOf } from "../../services/contracts.js";

export const handler = httpHandler("listTeamContracts", async ({ session, params, query }) => {
  const team = await teamOf(params.teamId);
  if (!isStaffOf(session, team.teamId) && !isManagerOf(session, team.centreId))
    throw forbidden("只有本团队成员或中心管理员可以查看");
  const page = query.q
    ? await searchTeamContracts(team.teamId, query.status, query.q, query.limit, query.cursor)
    : await listTeamContracts(team.teamId, query.status, query.limit, query.cursor);
  return { items: page.items.map(contractView), nextCursor: page.nextCursor };
});
