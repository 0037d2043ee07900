import { getTeam, setTeamCapacity } from "../../data/centres-repo.js";
import { teamView } from "../../domain/teams.js";
import { conflict, notFound } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { isManagerOf } from "../../services/access.js";

export const handler = httpHandler("updateTeamCapacity", async ({ session, params, body }) => {
  const team = await getTeam(params.teamId);
  if (!team || !isManagerOf(session, team.centreId)) throw notFound("团队不存在");
  if (!(await setTeamCapacity(team.teamId, body.capacityHouseholds))) {
    throw conflict("CAPACITY_BELOW_SIGNED", "容量不能少于已签约户数");
  }
  return teamView({ ...team, ...(await getTeam(team.teamId)) });
});
