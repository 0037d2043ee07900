import { ulid } from "ulid";
import { createTeam } from "../../data/centres-repo.js";
import type { TeamRecord } from "../../domain/teams.js";
import { teamView } from "../../domain/teams.js";
import { forbidden } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { isManagerOf } from "../../services/access.js";
import { settingsOf } from "../../services/settings.js";

export const handler = httpHandler("createTeam", async ({ session, params, body }) => {
  if (!isManagerOf(session, params.centreId)) throw forbidden("只能管理本中心的团队");
  const team: TeamRecord = {
    teamId: `t_${ulid()}`,
    centreId: params.centreId,
    name: body.name,
    members: body.members,
    capacityHouseholds: body.capacityHouseholds ?? (await settingsOf(params.centreId)).teamCapacityHouseholds,
    signedHouseholds: 0,
    signedPersons: 0,
  };
  await createTeam(team);
  return teamView(team);
});
