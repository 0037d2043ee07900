import { claimInvitation, getInvitation } from "../../data/invitations-repo.js";
import { normaliseCode, rolesAfterClaim } from "../../domain/invitations.js";
import { ApiError, conflict } from "../../lib/errors.js";
import { httpHandler } from "../../lib/http.js";
import { loginResponse } from "../../lib/session.js";
import { currentUser } from "../../services/identity.js";

const INVALID = () => new ApiError(404, "INVITATION_INVALID", "邀请码无效、已使用或已过期");

export const handler = httpHandler("claimInvitation", async ({ session, body }) => {
  const user = await currentUser(session);
  const now = new Date();
  const invitation = await getInvitation(normaliseCode(body.code));
  // DynamoDB Local never deletes expired TTL items, and the real service may lag: check the time.
  if (!invitation || invitation.claimedBy || invitation.expiresAt * 1000 <= now.getTime()) throw INVALID();
  const next = rolesAfterClaim(user.roles, user.teamId, invitation);
  if (!next.ok) throw conflict("ALREADY_IN_TEAM", "该账号已是其他团队成员，请先由管理员解除");
  const outcome = await claimInvitation(invitation, user, next.roles, body.name ?? "团队成员", now);
  if (outcome !== "claimed") throw INVALID();
  return loginResponse({
    userId: user.userId,
    roles: next.roles,
    teamId: invitation.teamId ?? user.teamId,
    centreId: invitation.centreId,
  });
});
