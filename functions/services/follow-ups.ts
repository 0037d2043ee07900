import { STAFF_ROLES } from "../../shared/enums.js";
import { LOW_SCORE_MAX, type MyFollowUp } from "../../shared/schemas/surveys.js";
import { getTeam } from "../data/centres-repo.js";
import * as repo from "../data/follow-ups-repo.js";
import { getResident, getUser } from "../data/identity-repo.js";
import { getResponse } from "../data/surveys-repo.js";
import { conflict, fieldError, forbidden, notFound } from "../lib/errors.js";
import { logger } from "../lib/logger.js";
import type { Session } from "../lib/session.js";
import { isManagerOf } from "./access.js";

/**
 * Follow-up (回访) of low scores: only a response whose resident consented to be contacted can be
 * followed up; the manager assigns it to a staff member outside the rated team, or to themselves;
 * the assignee (or the manager) records the outcome and closes it.
 */
const view = ({ responseMonth: _m, ...f }: repo.FollowUpRecord) => f;

async function lowScoreOf(responseId: string) {
  const response = await getResponse(responseId);
  if (!response?.low) throw notFound("低分答卷不存在");
  return response;
}

export async function assignFollowUp(session: Session, responseId: string, assigneeId: string) {
  const response = await lowScoreOf(responseId);
  if (!isManagerOf(session, response.centreId)) throw forbidden("只有本中心管理员可以安排回访");
  if (!response.contactConsent)
    throw conflict("NO_CONTACT_CONSENT", "居民未同意被联系，该答卷只计入统计，不能安排回访");
  const teamId = response.about.teamId ?? null;
  if (assigneeId !== session.userId) {
    const assignee = await getUser(assigneeId);
    const isStaff =
      assignee?.centreId === response.centreId &&
      assignee.roles.some((r) => r === "manager" || (STAFF_ROLES as readonly string[]).includes(r));
    if (!isStaff) throw fieldError("assigneeId", "回访人须为本中心的工作人员");
    if (teamId && assignee.teamId === teamId)
      throw conflict(
        "ASSIGNEE_IN_RATED_TEAM",
        "回访人不能是被评价团队的成员，请安排其他团队成员或由管理员本人回访",
      );
  }
  const existing = await repo.getFollowUp(responseId);
  if (existing?.status === "closed") throw conflict("FOLLOW_UP_CLOSED", "该回访已结案");
  const record: repo.FollowUpRecord = {
    responseId,
    centreId: response.centreId,
    teamId,
    assigneeId,
    assignedBy: session.userId,
    assignedAt: new Date().toISOString(),
    status: "assigned",
    outcome: null,
    issue: null,
    action: null,
    note: null,
    closedAt: null,
    closedBy: null,
    responseMonth: response.month,
  };
  if (!(await repo.assign(record))) throw conflict("FOLLOW_UP_CLOSED", "该回访已结案");
  logger.info("follow-up assigned", { responseId });
  return view(record);
}

export async function resolveFollowUp(
  session: Session,
  responseId: string,
  body: { outcome: "reached" | "unreachable" | "resolved"; note: string; issue?: string; action?: string },
) {
  const followUp = await repo.getFollowUp(responseId);
  if (!followUp) throw notFound("回访不存在");
  if (followUp.assigneeId !== session.userId && !isManagerOf(session, followUp.centreId))
    throw forbidden("只有回访人或本中心管理员可以登记回访结果");
  if (followUp.status === "closed") throw conflict("FOLLOW_UP_CLOSED", "该回访已结案");
  const outcome = {
    outcome: body.outcome,
    issue: body.issue || null,
    action: body.action || null,
    note: body.note || null,
    closedAt: new Date().toISOString(),
    closedBy: session.userId,
  };
  if (!(await repo.close(followUp, outcome))) {
    if ((await repo.getFollowUp(responseId))?.status === "closed")
      throw conflict("FOLLOW_UP_CLOSED", "该回访已结案");
    throw conflict("FOLLOW_UP_REASSIGNED", "该回访刚被重新安排，请刷新后再登记");
  }
  return view({ ...followUp, ...outcome, status: "closed" });
}

/**
 * The follow-ups assigned to the caller (open or resolved), newest assignment first, with the low
 * score, the consenting resident's name and masked phone (as the manager sees them) and the team.
 */
export async function listMyFollowUps(
  session: Session,
  state: repo.AssigneeList,
  limit: number,
  cursor?: string,
): Promise<{ items: MyFollowUp[]; nextCursor: string | null }> {
  const page = await repo.followUpsOfAssignee(session.userId, state, limit, cursor);
  const items = await Promise.all(
    page.items.map(async (f): Promise<MyFollowUp | null> => {
      const response = await getResponse(f.responseId);
      // Assigned only with consent; checked again so a name is never shown without it.
      if (!response?.contactConsent) return null;
      const [resident, team] = await Promise.all([
        getResident(response.residentId),
        f.teamId ? getTeam(f.teamId) : undefined,
      ]);
      return {
        responseId: f.responseId,
        followUp: view(f),
        contact:
          resident && !resident.erasedAt
            ? { name: resident.name, phoneMasked: resident.phoneMasked ?? null }
            : null,
        teamId: f.teamId,
        teamName: team?.name ?? null,
        submittedAt: response.submittedAt,
        lowRatings: response.ratings.filter((r) => r.value <= LOW_SCORE_MAX),
        comments: response.comments,
      };
    }),
  );
  return { items: items.filter((i): i is MyFollowUp => i !== null), nextCursor: page.nextCursor };
}
