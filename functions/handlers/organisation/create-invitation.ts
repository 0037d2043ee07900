import { DEFAULT_SETTINGS } from "../../../shared/settings.js";
import { getTeam } from "../../data/centres-repo.js";
import { saveInvitation } from "../../data/invitations-repo.js";
import { newInvitationCode } from "../../domain/invitations.js";
import { fieldError, forbidden } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler("createInvitation", async ({ session, params, body }) => {
  if (session.centreId !== params.centreId) throw forbidden("只能为本中心生成邀请码");
  if (body.teamId) {
    const team = await getTeam(body.teamId);
    if (!team || team.centreId !== params.centreId) throw fieldError("teamId", "团队不存在或不属于本中心");
  }
  const expires = new Date(Date.now() + DEFAULT_SETTINGS.invitationExpiryDays * 86_400_000);
  for (;;) {
    const code = newInvitationCode();
    const saved = await saveInvitation({
      code,
      role: body.role,
      centreId: params.centreId,
      teamId: body.role === "manager" ? undefined : body.teamId,
      createdBy: session.userId,
      expiresAtIso: expires.toISOString(),
      expiresAt: Math.floor(expires.getTime() / 1000),
    });
    // 31^8 codes: a collision is rare, and a retry with a new code settles it.
    if (saved) return { code, expiresAt: expires.toISOString(), role: body.role, teamId: body.teamId };
  }
});
