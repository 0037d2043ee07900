import { describe, expect, it } from "vitest";
import { addDays } from "../shared/dates.js";
import { api, eventually, newResident } from "./support/api.js";
import { addTeam, isolatedCentre, signedWith } from "./support/centres.js";
import { runJob } from "./support/contracts.js";
import { published, queueIdle } from "./support/notices.js";
import { sendToQueue } from "./support/queues.js";

/**
 * Survey triggers (issue 15, item 1): a manual survey reaches its audience through the notice
 * fan-out, once per resident; the annual evaluation goes out a set number of days before the end of
 * each contract year, once.
 */

const questions = [
  { questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度" },
  {
    questionId: "channel",
    type: "choice",
    text: "您通过什么方式了解签约服务",
    options: ["社区宣传", "家人朋友", "其他"],
  },
  { questionId: "comment", type: "text", text: "意见或建议", required: false },
];

async function centreWithTeams() {
  const c = await isolatedCentre();
  const settings = await api("PUT", `/v1/centres/${c.centreId}/settings`, {
    token: c.manager,
    body: { crossAreaSigning: true },
  });
  expect(settings.status).toBe(200);
  const teamB = await addTeam(c, "第二团队");
  return { ...c, teamA: { teamId: c.teamId, doctor: c.doctor }, teamB };
}

const mySurveys = (token: string) => api("GET", "/v1/me/surveys?limit=100", { token });
const surveysOf = async (token: string, surveyId: string) =>
  ((await mySurveys(token)).body.items as { surveyId: string; invitationId: string }[]).filter(
    (i) => i.surveyId === surveyId,
  );

describe("manual surveys", () => {
  it("reach exactly the team's signed residents, once each, however often the fan-out's messages come again", async () => {
    // Prepare: three residents signed with team A, one with team B, one not signed at all
    const c = await centreWithTeams();
    const inA = [await signedWith(c.teamA), await signedWith(c.teamA), await signedWith(c.teamA)];
    const inB = await signedWith(c.teamB);
    const unsigned = await newResident();

    // Act: the manager sends a survey to team A, closing in a week; its messages arrive again
    const closesAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const created = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
      token: c.manager,
      body: {
        title: "签约居民满意度调查",
        trigger: "manual",
        questions,
        audience: { scope: "team", teamId: c.teamA.teamId },
        closesAt,
      },
    });
    expect(created.status).toBe(201);
    const { surveyId, fanoutId } = created.body;
    expect(fanoutId).toMatch(/^n_/);
    for (let i = 0; i < 3; i++) await sendToQueue("jiayi-notices", { kind: "start", noticeId: fanoutId });
    await published(fanoutId, c.manager);
    await sendToQueue("jiayi-notices", {
      kind: "page",
      noticeId: fanoutId,
      teamId: c.teamA.teamId,
      page: 0,
      segment: "active",
    });
    await queueIdle();

    // Assess: each of team A's residents holds one invitation, valid until the closing date
    for (const r of inA) {
      const mine = await eventually(
        () => surveysOf(r.token, surveyId),
        (items) => items.length > 0,
      );
      expect(mine).toHaveLength(1);
      const [invitation] = (await mySurveys(r.token)).body.items.filter(
        (i: { surveyId: string }) => i.surveyId === surveyId,
      );
      expect(invitation.about).toMatchObject({ teamId: c.teamA.teamId, teamName: expect.any(String) });
      expect(Date.parse(invitation.expiresAt)).toBeLessThanOrEqual(Date.parse(closesAt));
    }
    expect(await surveysOf(inB.token, surveyId)).toEqual([]);
    expect(await surveysOf(unsigned.token, surveyId)).toEqual([]);
    const results = await api("GET", `/v1/centres/${c.centreId}/surveys/${surveyId}/results`, {
      token: c.manager,
    });
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({ invited: 3, responded: 0, responseRate: 0 });
    expect(results.body.teams).toEqual([
      expect.objectContaining({ teamId: c.teamA.teamId, invited: 3, responded: 0 }),
    ]);
    // The fan-out is no notice: nothing in the residents' inboxes (only the approval of their
    // contract), nothing on the centre's notice list
    const inbox = await api("GET", "/v1/me/notices?limit=100", { token: inA[0]?.token });
    expect(inbox.body.items.map((m: { kind: string }) => m.kind)).toEqual(["contract_result"]);
    const notices = await api("GET", `/v1/centres/${c.centreId}/notices?limit=100`, { token: c.manager });
    expect(notices.body.items.map((n: { noticeId: string }) => n.noticeId)).not.toContain(fanoutId);
  });

  it("waits for publishAt, and refuses an audience for another trigger or a team of another centre", async () => {
    const c = await centreWithTeams();
    const r = await signedWith(c.teamA);
    const later = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
      token: c.manager,
      body: {
        title: "定时问卷",
        trigger: "manual",
        questions,
        audience: { scope: "centre" },
        publishAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(later.status).toBe(201);
    expect((await api("GET", `/v1/notices/${later.body.fanoutId}`, { token: c.manager })).body.status).toBe(
      "scheduled",
    );
    expect(await surveysOf(r.token, later.body.surveyId)).toEqual([]);

    const wrongTrigger = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
      token: c.manager,
      body: { title: "错误", trigger: "annual", questions, audience: { scope: "centre" } },
    });
    expect(wrongTrigger.status).toBe(400);
    expect(wrongTrigger.body.error.details[0].path).toBe("audience");
    const foreignTeam = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
      token: c.manager,
      body: { title: "错误", trigger: "manual", questions, audience: { scope: "team", teamId: "t_demo_1" } },
    });
    expect(foreignTeam.status).toBe(400);
    expect(foreignTeam.body.error.details[0].path).toBe("audience.teamId");
    const closesBeforeOpening = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
      token: c.manager,
      body: {
        title: "错误",
        trigger: "manual",
        questions,
        audience: { scope: "centre" },
        publishAt: new Date(Date.now() + 7_200_000).toISOString(),
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(closesBeforeOpening.status).toBe(400);
    expect(closesBeforeOpening.body.error.details[0].path).toBe("closesAt");
  });
});

describe("the annual evaluation before renewal", () => {
  it("is sent 30 days before the contract's end, names the team, and is not sent again that year", async () => {
    // Prepare
    const c = await centreWithTeams();
    const r = await signedWith(c.teamA);
    const end = r.contract.endDate as string;
    const annual = async () =>
      ((await mySurveys(r.token)).body.items as { about: { contractId?: string } }[]).filter(
        (i) => i.about.contractId === r.contract.contractId,
      );

    // Act + Assess: 31 days before, nothing; 30 days before, one invitation
    await runJob("contractRenewals", `${addDays(end, -31)}T00:10:00+08:00`, { teamId: c.teamA.teamId });
    expect(await annual()).toEqual([]);
    await runJob("contractRenewals", `${addDays(end, -30)}T00:10:00+08:00`, { teamId: c.teamA.teamId });
    const first = await eventually(annual, (items) => items.length > 0);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      title: "家庭医生签约服务年度评价",
      about: { teamId: c.teamA.teamId, teamName: "测试第一团队", contractId: r.contract.contractId },
    });
    // The same day again, and the following days: still that one invitation
    await runJob("contractRenewals", `${addDays(end, -30)}T09:00:00+08:00`, { teamId: c.teamA.teamId });
    await runJob("contractRenewals", `${addDays(end, -29)}T00:10:00+08:00`, { teamId: c.teamA.teamId });
    expect(await annual()).toHaveLength(1);
  });

  it("follows the centre's lead-days setting", async () => {
    const c = await centreWithTeams();
    await api("PUT", `/v1/centres/${c.centreId}/settings`, {
      token: c.manager,
      body: { annualSurveyLeadDays: 45 },
    });
    const r = await signedWith(c.teamA);
    const end = r.contract.endDate as string;
    const annual = async () =>
      ((await mySurveys(r.token)).body.items as { about: { contractId?: string } }[]).filter(
        (i) => i.about.contractId === r.contract.contractId,
      );
    await runJob("contractRenewals", `${addDays(end, -30)}T00:10:00+08:00`, { teamId: c.teamA.teamId });
    expect(await annual()).toEqual([]);
    await runJob("contractRenewals", `${addDays(end, -45)}T00:10:00+08:00`, { teamId: c.teamA.teamId });
    expect(await eventually(annual, (items) => items.length > 0)).toHaveLength(1);
  });
});
