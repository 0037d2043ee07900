import { describe, expect, it } from "vitest";
import { api, eventually } from "./support/api.js";
import { addTeam, isolatedCentre, signedWith } from "./support/centres.js";

/** surveyResults (issue 15, item 2): counts always, every breakdown only for 5 responses or more. */

const questions = [
  { questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度" },
  { questionId: "channel", type: "choice", text: "了解渠道", options: ["社区宣传", "家人朋友"] },
  { questionId: "comment", type: "text", text: "意见或建议", required: false },
];

describe("survey results", () => {
  it("show per-team response rates always, and distributions and comments only for groups of at least 5", async () => {
    // Prepare: five residents in team A and one in team B receive a centre-wide survey
    const c = await isolatedCentre();
    await api("PUT", `/v1/centres/${c.centreId}/settings`, {
      token: c.manager,
      body: { crossAreaSigning: true },
    });
    const teamB = await addTeam(c, "第二团队");
    const inA: Awaited<ReturnType<typeof signedWith>>[] = [];
    for (let i = 0; i < 5; i++) inA.push(await signedWith({ teamId: c.teamId, doctor: c.doctor }));
    const inB = await signedWith(teamB);
    const created = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
      token: c.manager,
      body: { title: "结果测试问卷", trigger: "manual", questions, audience: { scope: "centre" } },
    });
    const surveyId = created.body.surveyId as string;
    const results = () =>
      api("GET", `/v1/centres/${c.centreId}/surveys/${surveyId}/results`, { token: c.manager });
    const answer = async (r: (typeof inA)[number], value: number, option: string, comment: string) => {
      const mine = await eventually(
        () => api("GET", "/v1/me/surveys?limit=100", { token: r.token }),
        (res) => res.body.items.some((i: { surveyId: string }) => i.surveyId === surveyId),
        30_000,
      );
      const inv = mine.body.items.find((i: { surveyId: string }) => i.surveyId === surveyId);
      const res = await api("POST", `/v1/surveys/invitations/${inv.invitationId}/response`, {
        token: r.token,
        body: {
          answers: [
            { questionId: "overall", value },
            { questionId: "channel", value: option },
            { questionId: "comment", value: comment },
          ],
        },
      });
      expect(res.status).toBe(201);
    };
    await eventually(results, (res) => res.body.invited === 6, 30_000);

    // Act + Assess: four answers in team A: counts shown, no breakdown anywhere
    for (const [i, r] of inA.slice(0, 4).entries()) await answer(r, 5 - (i % 2), "社区宣传", `意见${i}`);
    let res = await results();
    expect(res.body).toMatchObject({ invited: 6, responded: 4, responseRate: 0.667, comments: null });
    expect(
      res.body.questions.map((q: { distribution?: unknown; counts?: unknown }) => [q.distribution, q.counts]),
    ).toEqual([
      [null, undefined],
      [undefined, null],
    ]);
    const teamOf = (id: string) => res.body.teams.find((t: { teamId: string }) => t.teamId === id);
    expect(teamOf(c.teamId)).toMatchObject({
      invited: 5,
      responded: 4,
      responseRate: 0.8,
      questions: null,
      comments: null,
    });
    expect(teamOf(teamB.teamId)).toMatchObject({
      invited: 1,
      responded: 0,
      responseRate: 0,
      questions: null,
      comments: null,
    });

    // The fifth answer in team A: team A and the whole survey show their breakdowns
    await answer(inA[4] as (typeof inA)[number], 1, "家人朋友", "意见4");
    res = await results();
    expect(res.body.responded).toBe(5);
    expect(res.body.questions[0]).toMatchObject({
      questionId: "overall",
      distribution: { "1": 1, "2": 0, "3": 0, "4": 2, "5": 2 },
      average: 3.8,
    });
    expect(res.body.questions[1].counts).toEqual([
      { option: "社区宣传", count: 4 },
      { option: "家人朋友", count: 1 },
    ]);
    expect([...res.body.comments].sort()).toEqual(["意见0", "意见1", "意见2", "意见3", "意见4"]);
    expect(teamOf(c.teamId).questions[0].distribution).toEqual({ "1": 1, "2": 0, "3": 0, "4": 2, "5": 2 });
    expect(teamOf(teamB.teamId).questions).toBeNull();

    // Team B's single answer: its team stays hidden, and so does the whole survey's breakdown,
    // which would otherwise give it away (the whole minus team A)
    await answer(inB, 2, "家人朋友", "只有一份");
    res = await results();
    expect(res.body.responded).toBe(6);
    expect(teamOf(teamB.teamId)).toMatchObject({ responded: 1, questions: null, comments: null });
    expect(res.body.questions[0].distribution).toBeNull();
    expect(res.body.comments).toBeNull();
    expect(JSON.stringify(res.body)).not.toContain("只有一份");
    expect(teamOf(c.teamId).questions[0].distribution).toEqual({ "1": 1, "2": 0, "3": 0, "4": 2, "5": 2 });
  });

  it("is the manager's of the survey's centre only", async () => {
    const c = await isolatedCentre();
    const created = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
      token: c.manager,
      body: { title: "权限测试", trigger: "manual", questions },
    });
    const other = await isolatedCentre();
    const foreign = await api("GET", `/v1/centres/${c.centreId}/surveys/${created.body.surveyId}/results`, {
      token: other.manager,
    });
    expect(foreign.status).toBe(403);
    const wrongCentre = await api(
      "GET",
      `/v1/centres/${other.centreId}/surveys/${created.body.surveyId}/results`,
      {
        token: other.manager,
      },
    );
    expect(wrongCentre.status).toBe(404);
    const unknown = await api("GET", `/v1/centres/${c.centreId}/surveys/s_nope/results`, {
      token: c.manager,
    });
    expect(unknown.status).toBe(404);
  });
});
