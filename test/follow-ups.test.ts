import { describe, expect, it } from "vitest";
import { api, eventually } from "./support/api.js";
import { addTeam, isolatedCentre, signedWith } from "./support/centres.js";

/**
 * Low-score follow-up (issue 15, item 3): with the resident's consent a low score can be assigned
 * to someone outside the rated team and resolved; without it the response stays anonymous.
 */

const questions = [
  { questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度" },
  { questionId: "comment", type: "text", text: "意见或建议", required: false },
];

async function answeredSurvey() {
  const c = await isolatedCentre();
  await api("PUT", `/v1/centres/${c.centreId}/settings`, {
    token: c.manager,
    body: { crossAreaSigning: true },
  });
  const teamB = await addTeam(c, "第二团队");
  const teamA = { teamId: c.teamId, doctor: c.doctor };
  const consenting = await signedWith(teamA);
  const anonymous = await signedWith(teamA);
  const content = await signedWith(teamA);
  const created = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
    token: c.manager,
    body: {
      title: "回访测试问卷",
      trigger: "manual",
      questions,
      audience: { scope: "team", teamId: teamA.teamId },
    },
  });
  expect(created.status).toBe(201);
  const answer = async (r: typeof consenting, value: number, contactConsent?: boolean, comment?: string) => {
    const mine = await eventually(
      () => api("GET", "/v1/me/surveys?limit=100", { token: r.token }),
      (res) => res.body.items.some((i: { surveyId: string }) => i.surveyId === created.body.surveyId),
      30_000,
    );
    const invitation = mine.body.items.find(
      (i: { surveyId: string }) => i.surveyId === created.body.surveyId,
    );
    const res = await api("POST", `/v1/surveys/invitations/${invitation.invitationId}/response`, {
      token: r.token,
      body: {
        answers: [
          { questionId: "overall", value },
          ...(comment ? [{ questionId: "comment", value: comment }] : []),
        ],
        contactConsent,
      },
    });
    expect(res.status).toBe(201);
    return invitation.invitationId as string;
  };
  const consentingId = await answer(consenting, 1, true, "排队太久");
  const anonymousId = await answer(anonymous, 2, false, "态度一般");
  await answer(content, 5, true);
  const doctorB = (await api("GET", "/v1/me", { token: teamB.doctor })).body.user.id as string;
  const doctorA = (await api("GET", "/v1/me", { token: teamA.doctor })).body.user.id as string;
  return { c, teamA, teamB, consenting, anonymous, consentingId, anonymousId, doctorA, doctorB };
}

const lowScores = async (centreId: string, manager: string, count: number) =>
  (
    await eventually(
      () => api("GET", `/v1/centres/${centreId}/satisfaction/low-scores?limit=100`, { token: manager }),
      (res) => res.body.items?.length >= count,
    )
  ).body.items as { responseId: string; contactConsent: boolean; contact: unknown }[];

describe("low-score follow-up (回访)", () => {
  it("shows who gave a low score only with consent, and lets the manager assign it outside the rated team and resolve it", async () => {
    // Prepare
    const w = await answeredSurvey();

    // Assess: two low scores; only the consenting resident is named
    const items = await lowScores(w.c.centreId, w.c.manager, 2);
    expect(items).toHaveLength(2);
    const consented = items.find((i) => i.responseId === w.consentingId);
    expect(consented).toMatchObject({
      contactConsent: true,
      contact: { residentId: w.consenting.residentId, name: "测试居民" },
    });
    const anonymous = items.find((i) => i.responseId === w.anonymousId);
    expect(anonymous).toMatchObject({ contactConsent: false, contact: null, followUp: null });
    const shown = JSON.stringify(anonymous);
    expect(shown).not.toContain(w.anonymous.residentId);
    expect(shown).not.toContain("测试居民");
    expect(shown).not.toContain(String(w.anonymous.profile.phoneMasked));

    // Act + Assess: no follow-up without consent; not to the rated team; to team B's doctor
    const noConsent = await api("POST", `/v1/low-scores/${w.anonymousId}/follow-up`, {
      token: w.c.manager,
      body: { assigneeId: w.doctorB },
    });
    expect(noConsent.status).toBe(409);
    expect(noConsent.body.error.code).toBe("NO_CONTACT_CONSENT");
    const ratedTeam = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up`, {
      token: w.c.manager,
      body: { assigneeId: w.doctorA },
    });
    expect(ratedTeam.status).toBe(409);
    expect(ratedTeam.body.error.code).toBe("ASSIGNEE_IN_RATED_TEAM");
    const stranger = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up`, {
      token: w.c.manager,
      body: { assigneeId: "u_nobody" },
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0].path).toBe("assigneeId");
    const assigned = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up`, {
      token: w.c.manager,
      body: { assigneeId: w.doctorB },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({
      status: "assigned",
      assigneeId: w.doctorB,
      teamId: w.teamA.teamId,
    });

    // The rated team's doctor cannot close it; the assignee can, once
    const byRated = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up/resolve`, {
      token: w.teamA.doctor,
      body: { outcome: "resolved", note: "x" },
    });
    expect(byRated.status).toBe(403);
    const badOutcome = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up/resolve`, {
      token: w.teamB.doctor,
      body: { outcome: "maybe", note: "x" },
    });
    expect(badOutcome.status).toBe(400);
    expect(badOutcome.body.error.details[0].path).toBe("outcome");
    const resolved = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up/resolve`, {
      token: w.teamB.doctor,
      body: { outcome: "resolved", note: "已电话回访", issue: "候诊时间长", action: "增加上午号源" },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: "closed", outcome: "resolved", issue: "候诊时间长" });
    const again = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up/resolve`, {
      token: w.c.manager,
      body: { outcome: "reached", note: "再次" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("FOLLOW_UP_CLOSED");
    const reassign = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up`, {
      token: w.c.manager,
      body: { assigneeId: w.doctorB },
    });
    expect(reassign.status).toBe(409);

    // The monthly report counts the low scores, the follow-up and its resolution on team A
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const report = await eventually(
      () => api("GET", `/v1/centres/${w.c.centreId}/reports/monthly?month=${month}`, { token: w.c.manager }),
      (res) => res.body.total?.lowScoresResolved === 1 && res.body.total?.lowScores === 2,
      60_000,
    );
    const rowA = report.body.teams.find((t: { key: string }) => t.key === w.teamA.teamId);
    expect(rowA).toMatchObject({ lowScores: 2, lowScoresFollowedUp: 1, lowScoresResolved: 1 });
    expect(report.body.total).toMatchObject({ lowScores: 2, lowScoresFollowedUp: 1, lowScoresResolved: 1 });
  });

  it("lists a follow-up to its assignee only, open until they resolve it, then under resolved", async () => {
    // Prepare
    const w = await answeredSurvey();
    await lowScores(w.c.centreId, w.c.manager, 2);
    const assigned = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up`, {
      token: w.c.manager,
      body: { assigneeId: w.doctorB },
    });
    expect(assigned.status).toBe(200);
    const mine = (token: string, status: string) =>
      api("GET", `/v1/me/follow-ups?status=${status}&limit=10`, { token });

    // Assess: the assignee sees what to act on; the rated team's doctor sees nothing
    const open = await eventually(
      () => mine(w.teamB.doctor, "open"),
      (res) => res.body.items?.length === 1,
    );
    expect(open.body.items[0]).toMatchObject({
      responseId: w.consentingId,
      followUp: { status: "assigned", assigneeId: w.doctorB, assignedAt: assigned.body.assignedAt },
      contact: { name: "测试居民", phoneMasked: w.consenting.profile.phoneMasked },
      teamId: w.teamA.teamId,
      teamName: expect.any(String),
      lowRatings: [{ questionId: "overall", dimension: "overall", value: 1 }],
      comments: ["排队太久"],
    });
    expect(JSON.stringify(open.body)).not.toContain(w.consenting.residentId);
    expect((await mine(w.teamA.doctor, "open")).body.items).toEqual([]);
    expect((await mine(w.c.manager, "open")).body.items).toEqual([]);

    // Reassigned to the manager and back: it moves with the assignment
    const managerId = (await api("GET", "/v1/me", { token: w.c.manager })).body.user.id as string;
    const reassign = (assigneeId: string) =>
      api("POST", `/v1/low-scores/${w.consentingId}/follow-up`, { token: w.c.manager, body: { assigneeId } });
    expect((await reassign(managerId)).status).toBe(200);
    await eventually(
      () => mine(w.c.manager, "open"),
      (res) => res.body.items?.length === 1,
    );
    expect((await mine(w.teamB.doctor, "open")).body.items).toEqual([]);
    expect((await reassign(w.doctorB)).status).toBe(200);
    await eventually(
      () => mine(w.teamB.doctor, "open"),
      (res) => res.body.items?.length === 1,
    );
    expect((await mine(w.c.manager, "open")).body.items).toEqual([]);

    // Act: the assignee resolves it
    const resolved = await api("POST", `/v1/low-scores/${w.consentingId}/follow-up/resolve`, {
      token: w.teamB.doctor,
      body: { outcome: "reached", note: "已电话回访" },
    });
    expect(resolved.status).toBe(200);

    // Assess: off the open list, on the resolved one
    await eventually(
      () => mine(w.teamB.doctor, "resolved"),
      (res) => res.body.items?.length === 1 && res.body.items[0].followUp.status === "closed",
    );
    expect((await mine(w.teamB.doctor, "open")).body.items).toEqual([]);

    // A resident may not ask; an unknown status names the field
    expect((await mine(w.consenting.token, "open")).status).toBe(403);
    const bad = await mine(w.teamB.doctor, "later");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("status");
  });

  it("keeps a response without consent anonymous in the survey's results too", async () => {
    const w = await answeredSurvey();
    const results = await api("GET", `/v1/centres/${w.c.centreId}/surveys`, { token: w.c.manager });
    const surveyId = results.body.items[0].surveyId as string;
    const res = await api("GET", `/v1/centres/${w.c.centreId}/surveys/${surveyId}/results`, {
      token: w.c.manager,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ invited: 3, responded: 3, comments: null });
    // Three responses: under the floor, no distribution and no comment is shown
    expect(res.body.questions[0].distribution).toBeNull();
    const text = JSON.stringify(res.body);
    for (const r of [w.anonymous, w.consenting]) expect(text).not.toContain(r.residentId);
    expect(text).not.toContain("态度一般");
  });
});
