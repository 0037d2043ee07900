import type { Role } from "../../shared/enums.js";
import type { OpenInvitation, StaffMember } from "../../shared/schemas/identity.js";
import { getTeam } from "../data/centres-repo.js";
import { getUser, type UserItem } from "../data/identity-repo.js";
import {
  type CentreInvitation,
  claimInvitation,
  type DistrictInvitation,
  getInvitation,
  type InvitationRecord,
  listOpenInvitations,
  revokeInvitation,
} from "../data/invitations-repo.js";
import {
  districtRoleWrite,
  listStaffOfCentre,
  roleStateWrite,
  teamMembersWrite,
  writeStaffChange,
} from "../data/staff-repo.js";
import type { TransactItem } from "../data/transactions.js";
import { claimedState, holdsCentreRole, normaliseCode, type RoleState } from "../domain/invitations.js";
import {
  type CentreRole,
  changedState,
  membersWith,
  REMOVED_STATE,
  sessionVersionOf,
} from "../domain/staff.js";
import { ApiError, conflict, fieldError, forbidden, notFound } from "../lib/errors.js";
import { loginResponse, type Session } from "../lib/session.js";
import { isManagerOf } from "./access.js";
import { currentUser } from "./identity.js";

/** Staff lifecycle: invitations claimed and revoked, members changed and removed by their manager. */

/** Reads and conditional writes race other changes to the same account or team: a few fresh tries. */
const ATTEMPTS = 3;
const DEFAULT_STAFF_NAME = "团队成员";

const unknownCode = () => new ApiError(404, "INVITATION_INVALID", "邀请码无效、已使用或已过期");
const usedCode = () => new ApiError(409, "INVITATION_INVALID", "邀请码已使用、已撤销或已过期");
const changedMeanwhile = () => conflict("STAFF_CHANGED", "该账号或团队刚被修改，请刷新后重试");

function requireManager(session: Session, centreId: string) {
  if (!isManagerOf(session, centreId)) throw forbidden("只能管理本中心的工作人员");
}

const memberView = (user: Pick<UserItem, "userId" | "staffName"> & RoleState): StaffMember => ({
  userId: user.userId,
  name: user.staffName ?? DEFAULT_STAFF_NAME,
  roles: user.roles.filter((r): r is CentreRole => r !== "resident" && r !== "district"),
  teamId: user.teamId ?? null,
});

/**
 * The team card writes for an account moving from `before` to `after`: the team it leaves loses
 * its entries, the team it is in gets one per team role, each on condition of the list read.
 */
async function teamWrites(userId: string, name: string, before: RoleState, after: RoleState) {
  const writes: TransactItem[] = [];
  for (const teamId of new Set([before.teamId, after.teamId])) {
    if (!teamId) continue;
    const team = await getTeam(teamId);
    if (!team) continue;
    const next = membersWith(team.members, userId, teamId === after.teamId ? after.roles : [], name);
    const write = teamMembersWrite(teamId, userId, team.members, next);
    if (write) writes.push(write);
  }
  return writes;
}

const isOpen = (invitation: InvitationRecord, now: Date) =>
  !invitation.claimedBy && !invitation.revokedAt && invitation.expiresAt * 1000 > now.getTime();

/** A centre's role (and team): the account's and the team cards' writes. */
async function centreGrant(user: UserItem, invitation: CentreInvitation, staffName: string) {
  const next = claimedState(user, invitation);
  if (!next.ok) {
    if (next.reason === "other-centre")
      throw conflict("OTHER_CENTRE", "该账号已在其他社区卫生服务中心任职，请先由原中心管理员解除");
    throw conflict("ALREADY_IN_TEAM", "该账号已是其他团队成员，请先由管理员解除");
  }
  // Claiming only adds (or, for a plain resident, moves centre): tokens already out grant no
  // more than before, so the session version stays and other devices stay signed in.
  const changes = [
    roleStateWrite(user, next.state, { revoke: false, staffName }),
    ...(invitation.teamId ? await teamWrites(user.userId, staffName, user, next.state) : []),
  ];
  return { changes, state: next.state };
}

/** The district's read-only role: one district, and never beside a role at a centre. */
function districtGrant(user: UserItem, invitation: DistrictInvitation) {
  if (holdsCentreRole(user.roles))
    throw conflict("OTHER_CENTRE", "该账号已在社区卫生服务中心任职，不能同时作为区卫健委账号");
  if (user.districtId && user.districtId !== invitation.districtId)
    throw conflict("OTHER_DISTRICT", "该账号已是其他区的区卫健委账号");
  const roles = [...new Set<Role>([...user.roles, "district"])];
  return {
    changes: [districtRoleWrite(user, roles, invitation.districtId)],
    state: { roles, centreId: user.centreId, teamId: user.teamId, districtId: invitation.districtId },
  };
}

/** Claims an invitation for the signed-in account and answers a new token with the new role. */
export async function claim(session: Session, code: string, name: string | undefined) {
  const now = new Date();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const user = await currentUser(session);
    const invitation = await getInvitation(normaliseCode(code));
    if (!invitation) throw unknownCode();
    // A retried claim whose first answer was lost finds the code used by itself: same answer.
    if (invitation.claimedBy === user.userId) return loginResponse(user, sessionVersionOf(user));
    // DynamoDB Local never deletes expired TTL items, and the real service may lag: check the time.
    if (!isOpen(invitation, now)) throw usedCode();
    const granted =
      invitation.role === "district"
        ? districtGrant(user, invitation)
        : await centreGrant(user, invitation, name ?? user.staffName ?? DEFAULT_STAFF_NAME);
    const outcome = await claimInvitation(invitation, user.userId, granted.changes, now);
    if (outcome === "claimed")
      return loginResponse({ userId: user.userId, ...granted.state }, sessionVersionOf(user));
    // "unavailable": used meanwhile (perhaps by this very request's lost first try), read again.
  }
  throw changedMeanwhile();
}

export async function listInvitations(session: Session, centreId: string, limit: number, cursor?: string) {
  requireManager(session, centreId);
  const page = await listOpenInvitations(centreId, new Date(), limit, cursor);
  return {
    items: page.items.map(
      (i): OpenInvitation => ({ code: i.code, role: i.role, teamId: i.teamId, expiresAt: i.expiresAtIso }),
    ),
    nextCursor: page.nextCursor,
  };
}

/** Revokes an open invitation; revoking it again answers the same, a used one is a 409. */
export async function revoke(session: Session, centreId: string, rawCode: string) {
  requireManager(session, centreId);
  const code = normaliseCode(rawCode);
  const now = new Date();
  const revoked = await revokeInvitation(code, centreId, now);
  const invitation = await getInvitation(code);
  if (!invitation || invitation.role === "district" || invitation.centreId !== centreId)
    throw notFound("邀请码不存在");
  if (!revoked && !invitation.revokedAt) throw conflict("INVITATION_INVALID", "邀请码已被使用，无法撤销");
  return {
    code,
    role: invitation.role,
    teamId: invitation.teamId,
    expiresAt: invitation.expiresAtIso,
    revokedAt: invitation.revokedAt ?? now.toISOString(),
  };
}

export async function listStaff(session: Session, centreId: string, limit: number, cursor?: string) {
  requireManager(session, centreId);
  const page = await listStaffOfCentre(centreId, limit, cursor);
  return { items: page.items.map(memberView), nextCursor: page.nextCursor };
}

/** A staff account of the centre, read consistently; anyone else is not the manager's to change. */
async function staffOf(centreId: string, userId: string) {
  const user = await getUser(userId);
  if (!user || user.centreId !== centreId || !holdsCentreRole(user.roles))
    throw notFound("该账号不是本中心的工作人员");
  return user;
}

/** Changes a member's roles or team; their tokens are revoked, so it applies on their next request. */
export async function updateStaff(
  session: Session,
  centreId: string,
  userId: string,
  change: { roles: CentreRole[]; teamId?: string },
): Promise<StaffMember> {
  requireManager(session, centreId);
  if (change.teamId) {
    const team = await getTeam(change.teamId);
    if (!team || team.centreId !== centreId) throw fieldError("teamId", "团队不存在或不属于本中心");
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const user = await staffOf(centreId, userId);
    const next = changedState(user, change, userId === session.userId);
    if (!next.ok) {
      if (next.reason === "own-manager-role")
        throw conflict("OWN_MANAGER_ROLE", "不能取消自己的管理员角色，请由其他管理员操作");
      throw fieldError(
        "teamId",
        next.reason === "team-required" ? "团队成员须指定团队" : "仅有管理员角色时不能指定团队",
      );
    }
    const name = user.staffName ?? DEFAULT_STAFF_NAME;
    const items = [
      roleStateWrite(user, next.state, { revoke: true }),
      ...(await teamWrites(userId, name, user, next.state)),
    ];
    if ((await writeStaffChange(items)) === "done") return memberView({ ...user, ...next.state });
  }
  throw changedMeanwhile();
}

/**
 * Removes a member from the centre: they keep their account as a resident, leave their team card,
 * and every token they hold is revoked. What they recorded (approvals, services, visits) stays
 * under their user id.
 */
export async function removeStaff(session: Session, centreId: string, userId: string) {
  requireManager(session, centreId);
  if (userId === session.userId) throw conflict("OWN_MANAGER_ROLE", "不能移除自己，请由其他管理员操作");
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const user = await staffOf(centreId, userId);
    const items = [
      roleStateWrite(user, REMOVED_STATE, { revoke: true }),
      ...(await teamWrites(userId, "", user, REMOVED_STATE)),
    ];
    if ((await writeStaffChange(items)) === "done") return { userId, removed: true as const };
  }
  throw changedMeanwhile();
}
