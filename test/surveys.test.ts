import { BatchWriteItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { localClient } from "../infra/local/dynamodb-local.js";
import { todayInChina } from "../shared/dates.js";
import { api, devLogin, eventuallyFound, newResident, stack } from "./support/api.js";
import { newTeamWithDoctor, signedResident } from "./support/contracts.js";
import { backend, completedVisit, invitationAbout, visitAnswers } from "./support/surveys.js";

// Invitations and report counters come from the stream projector, which lags behind the rest of
// a full parallel run (the fan-out test alone writes 25,000 items): allow it time.
vi.setConfig({ testTimeout: 150_000, hookTimeout: 150_000 });

type Backend = Awaited<ReturnType<typeof backend>>;
let b: Backend;
let manager: string;

beforeAll(async () => {
  b = await backend();
  manager = await devLogin("demo-manager");
});

/** An invitation made in-process, as the stream projector would after a trigger event. */
async function invited(
  residentId: string,
  about: { teamId: string | null; staffId?: string; serviceType?: "consultation" | "chronic_followup" },
  options: { centreId?: string; at?: string } = {},
) {
  const id = await b.surveys.invite({
    trigger: "after_appointment",
    centreId: options.centreId ?? "c_demo",
    residentId,
    occasion: `test#${Math.random().toString(36).slice(2)}`,
    about,
    at: options.at ?? new Date().toISOString(),
  });
  if (!id) throw new Error("no survey");
  return id;
}

const submit = (token: string, invitationId: string, answers: unknown) =>
  api("POST", `/v1/surveys/invitations/${invitationId}/response`, { token, body: { answers } });

describe("survey invitations and responses", () => {
  it("sends the visit's invitation as a WeChat subscribe message once, where the family granted it", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const grant = await api("POST", "/v1/me/subscriptions", {
      token: resident.token,
      body: { results: { "tmpl-survey-invitation": "accept" } },
    });
    expect(grant.body.grants).toEqual([{ templateId: "tmpl-survey-invitation", remaining: 1 }]);
    await fetch(`${stack().wechatUrl}/__fake/subscriptions`, {
      method: "POST",
      body: JSON.stringify({ openid: resident.openid, templateId: "tmpl-survey-invitation" }),
    });
    const { appointmentId } = await completedVisit(teamId, doctor, resident);
    await invitationAbout(resident.token, appointmentId);

    // The projector pushes after it creates the invitation, in the same batch: read until it shows.
    const mine = await eventuallyFound(async () => {
      const sent = (await (await fetch(`${stack().wechatUrl}/__fake/sent`)).json()) as {
        messages: { touser: string; template_id: string; page?: string }[];
      };
      const messages = sent.messages.filter((m) => m.touser === resident.openid);
      return messages.length > 0 && messages;
    });
    expect(mine).toEqual([
      expect.objectContaining({ template_id: "tmpl-survey-invitation", page: "pages/surveys/index" }),
    ]);
    const after = await api("POST", "/v1/me/subscriptions", { token: resident.token, body: { results: {} } });
    expect(after.body.grants).toEqual([{ templateId: "tmpl-survey-invitation", remaining: 0 }]);
  });

  it("invites the resident when a visit is completed, and takes exactly one valid response", async () => {
    // Prepare
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const { appointmentId } = await completedVisit(teamId, doctor, resident);

    // Act: the stream projector turns the completion into an invitation
    const invitation = await invitationAbout(resident.token, appointmentId);

    // Assess
    expect(invitation).toMatchObject({
      surveyId: "s_default_visit",
      residentId: resident.residentId,
      about: { appointmentId, teamId, serviceType: "consultation" },
    });
    expect(invitation.questions.map((q: { questionId: string }) => q.questionId)).toEqual([
      "professional",
      "attitude",
      "waiting",
      "environment",
      "overall",
      "comment",
    ]);
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(14 * 86_400_000);

    const ok = await submit(resident.token, invitation.invitationId, visitAnswers(5, "医生很耐心"));
    expect(ok.status).toBe(201);
    expect(ok.body.answers).toContainEqual({ questionId: "comment", value: "医生很耐心" });
    const again = await submit(resident.token, invitation.invitationId, visitAnswers(4));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_ANSWERED");
    // Answered: no longer pending
    const list = await api("GET", "/v1/me/surveys", { token: resident.token });
    expect(
      list.body.items.some((i: { invitationId: string }) => i.invitationId === invitation.invitationId),
    ).toBe(false);
  });

  it("rejects invalid answers naming the question at fault", async () => {
    const resident = await newResident();
    const id = await invited(resident.residentId, { teamId: "t_demo_1" });
    const cases: [unknown[], string, string][] = [
      [[...visitAnswers(4), { questionId: "nope", value: 3 }], "answers.5.questionId", "nope"],
      [visitAnswers({ waiting: 0 }), "answers.2.value", "waiting"],
      [visitAnswers({ overall: 6 }), "answers.4.value", "overall"],
      [visitAnswers({ attitude: 3.5 }), "answers.1.value", "attitude"],
      [visitAnswers(4).filter((a) => a.questionId !== "environment"), "answers", "environment"],
      [visitAnswers(4, "长".repeat(501)), "answers.5.value", "comment"],
      [
        [...visitAnswers(4).slice(0, 4), { questionId: "overall", value: "五星" }],
        "answers.4.value",
        "overall",
      ],
    ];
    for (const [answers, path, questionId] of cases) {
      const res = await submit(resident.token, id, answers);
      expect(res.status, JSON.stringify(answers).slice(0, 80)).toBe(400);
      expect(res.body.error.details).toContainEqual({ path, message: expect.stringContaining(questionId) });
      expect(res.body.error.message).toContain(questionId);
    }
    // Nothing was stored: the valid sheet is still accepted
    expect((await submit(resident.token, id, visitAnswers(4, ""))).status).toBe(201);
  });

  it("lets only the invited resident's side answer: 403 for anyone else, 404 for no invitation", async () => {
    const resident = await newResident();
    const stranger = await newResident();
    const id = await invited(resident.residentId, { teamId: "t_demo_1" });
    const res = await submit(stranger.token, id, visitAnswers(1, "恶意差评"));
    expect(res.status).toBe(403);
    expect((await submit(manager, id, visitAnswers(5))).status).toBe(403);
    expect((await submit(resident.token, "inv_missing", visitAnswers(5))).status).toBe(404);
    expect((await submit(resident.token, id, visitAnswers(5))).status).toBe(201);
  });

  it("refuses an expired invitation and hides it from the pending list", async () => {
    const resident = await newResident();
    const at = new Date(Date.now() - 15 * 86_400_000).toISOString();
    const id = await invited(resident.residentId, { teamId: "t_demo_1" }, { at });
    const res = await submit(resident.token, id, visitAnswers(5));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("INVITATION_EXPIRED");
    const list = await api("GET", "/v1/me/surveys", { token: resident.token });
    expect(list.body.items).toEqual([]);
  });

  it("records one response when the same invitation is submitted in parallel", async () => {
    const resident = await newResident();
    const teamId = `t_par_${Date.now().toString(36)}`;
    const id = await invited(resident.residentId, { teamId });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => submit(resident.token, id, visitAnswers(3))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const month = todayInChina().slice(0, 7);
    const stored = await b.repo.readAggregates("c_demo", [month], `TEAM#${teamId}`);
    expect(stored.items.map((i) => i.figures.responses)).toEqual([1]);
  });

  it("uses a manager's survey for new invitations of its trigger instead of the default", async () => {
    // createSurvey over HTTP (manual trigger, so the demo centre's visits keep the default survey)
    const created = await api("POST", "/v1/centres/c_demo/surveys", {
      token: manager,
      body: {
        title: "年度签约满意度",
        trigger: "manual",
        questions: [
          { questionId: "q1", type: "rating", dimension: "overall", text: "总体" },
          { questionId: "q2", type: "choice", text: "是否推荐", options: ["是", "否"] },
          { questionId: "q3", type: "multiple_choice", text: "最满意", options: ["医生", "护士", "环境"] },
          { questionId: "q4", type: "text", text: "建议", required: false },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ trigger: "manual", isDefault: false, centreId: "c_demo" });
    const bad = await api("POST", "/v1/centres/c_demo/surveys", {
      token: manager,
      body: {
        title: "x",
        trigger: "manual",
        questions: [{ questionId: "q1", type: "rating", text: "无维度" }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("questions.0.dimension");
    const doctor = await devLogin("demo-doctor-1");
    expect(
      (await api("POST", "/v1/centres/c_demo/surveys", { token: doctor, body: created.body })).status,
    ).toBe(403);

    // Replacement of the post-visit default, at a centre of its own
    const centreId = `c_sv_${Date.now().toString(36)}`;
    const resident = await newResident();
    const before = await b.repo.getInvitation(
      await invited(resident.residentId, { teamId: null }, { centreId }),
    );
    expect(before?.surveyId).toBe("s_default_visit");
    await b.repo.createSurvey({
      surveyId: `s_${centreId}`,
      centreId,
      title: "新版就诊问卷",
      trigger: "after_appointment",
      isDefault: false,
      createdAt: new Date().toISOString(),
      questions: [{ questionId: "q1", type: "rating", dimension: "overall", text: "总体", required: true }],
    });
    const after = await b.repo.getInvitation(
      await invited(resident.residentId, { teamId: null }, { centreId }),
    );
    expect(after?.surveyId).toBe(`s_${centreId}`);
    // The earlier invitation keeps its survey
    expect((await b.repo.getInvitation(before?.invitationId as string))?.surveyId).toBe("s_default_visit");
  });
});

describe("satisfaction scores", () => {
  it("shows no average below 5 responses, then the average per dimension", async () => {
    const teamId = `t_floor_${Date.now().toString(36)}`;
    const scores = async () => {
      const res = await api("GET", "/v1/centres/c_demo/satisfaction?groupBy=team", { token: manager });
      expect(res.status).toBe(200);
      return res.body.groups.find((g: { key: string }) => g.key === teamId);
    };
    const ratings = [5, 4, 4, 3, 5];
    for (const [i, rating] of ratings.entries()) {
      const resident = await newResident();
      const id = await invited(resident.residentId, { teamId, staffId: "u_floor_staff" });
      expect((await submit(resident.token, id, visitAnswers(rating))).status).toBe(201);
      const group = await scores();
      expect(group.responses).toBe(i + 1);
      if (i < 4) {
        expect(group.average).toBeNull();
        expect(group.dimensions.overall).toEqual({ responses: i + 1, average: null });
      }
    }
    const group = await scores();
    expect(group.average).toBe(4.2);
    expect(group.dimensions.waiting).toEqual({ responses: 5, average: 4.2 });
    // The staff grouping and the low-score list see the same responses
    const staff = await api("GET", "/v1/centres/c_demo/satisfaction?groupBy=staff", { token: manager });
    expect(staff.body.groups.find((g: { key: string }) => g.key === "u_floor_staff")).toMatchObject({
      responses: 5,
      average: 4.2,
    });
    // Only the centre's manager reads scores
    const doctor = await devLogin("demo-doctor-1");
    expect((await api("GET", "/v1/centres/c_demo/satisfaction", { token: doctor })).status).toBe(403);
  });

  it("lists low scores with their comments for follow-up, newest first, paginated", async () => {
    const teamId = `t_low_${Date.now().toString(36)}`;
    const comments = ["等了两个小时", "态度不好"];
    for (const comment of comments) {
      const resident = await newResident();
      const id = await invited(resident.residentId, { teamId });
      expect(
        (await submit(resident.token, id, visitAnswers({ waiting: 1, attitude: 2 }, comment))).status,
      ).toBe(201);
    }
    const page1 = await api("GET", "/v1/centres/c_demo/satisfaction/low-scores?limit=1", { token: manager });
    expect(page1.status).toBe(200);
    expect(page1.body.items[0]).toMatchObject({ teamId, comments: ["态度不好"] });
    expect(page1.body.items[0].lowRatings).toEqual([
      { questionId: "attitude", dimension: "attitude", value: 2 },
      { questionId: "waiting", dimension: "waiting", value: 1 },
    ]);
    const page2 = await api(
      "GET",
      `/v1/centres/c_demo/satisfaction/low-scores?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
      { token: manager },
    );
    expect(page2.body.items[0]).toMatchObject({ teamId, comments: ["等了两个小时"] });
  });

  it("keeps aggregates equal to a recomputation from raw responses after random submissions", async () => {
    const residents = await Promise.all(Array.from({ length: 6 }, () => newResident()));
    const rating = fc.integer({ min: 1, max: 5 });
    const step = fc.record({
      resident: fc.integer({ min: 0, max: residents.length - 1 }),
      team: fc.constantFrom("ta", "tb", null),
      staff: fc.constantFrom("sa", "sb", undefined),
      serviceType: fc.constantFrom("consultation" as const, "chronic_followup" as const, undefined),
      ratings: fc.record({
        professional: rating,
        attitude: rating,
        waiting: rating,
        environment: rating,
        overall: rating,
      }),
      /** Also try a second submission, or an invalid one first. */
      twice: fc.boolean(),
      invalidFirst: fc.boolean(),
    });
    let run = 0;
    await fc.assert(
      // Each resident at most once a run: 5 runs × 3 submissions stay under the account's 20 a
      // minute (ACCOUNT_LIMITS.survey), which a resident drawn many times tripped with a 429.
      fc.asyncProperty(
        fc.uniqueArray(step, { minLength: 1, maxLength: residents.length, selector: (s) => s.resident }),
        async (steps) => {
          const centreId = `c_prop_${Date.now().toString(36)}_${run++}`;
          const model = new Map<string, { responses: number; sum: number }>();
          for (const s of steps) {
            const resident = residents[s.resident] as (typeof residents)[number];
            const about = {
              teamId: s.team ? `${centreId}_${s.team}` : null,
              ...(s.staff ? { staffId: s.staff } : {}),
              ...(s.serviceType ? { serviceType: s.serviceType } : {}),
            };
            const id = await invited(resident.residentId, about, { centreId });
            if (s.invalidFirst)
              expect((await submit(resident.token, id, visitAnswers({ overall: 0 }))).status).toBe(400);
            expect((await submit(resident.token, id, visitAnswers(s.ratings))).status).toBe(201);
            if (s.twice) expect((await submit(resident.token, id, visitAnswers(5))).status).toBe(409);
            const sum = Object.values(s.ratings).reduce((a, v) => a + v, 0);
            for (const g of b.domain.aggregateGroups(about)) {
              const m = model.get(g) ?? { responses: 0, sum: 0 };
              model.set(g, { responses: m.responses + 1, sum: m.sum + sum });
            }
          }
          const month = todayInChina().slice(0, 7);
          const { stored, recomputed, responses } = await b.surveys.rebuildAggregates(centreId, month);
          expect(responses).toBe(steps.length);
          expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(recomputed));
          // And both equal the test's own model of what was submitted
          for (const [group, m] of model) {
            const f = stored.get(group);
            expect(f?.responses, group).toBe(m.responses);
            expect(
              Object.values(f?.sums ?? {}).reduce((a, v) => a + (v ?? 0), 0),
              group,
            ).toBe(m.sum);
            expect(f?.counts.overall, group).toBe(m.responses);
          }
          expect(stored.size).toBe(model.size);
        },
      ),
      { numRuns: 5 },
    );
  }, 120_000);

  it("costs the same capacity to read with 100 and with 20,000 responses", async () => {
    // Prepare: a centre of its own; raw responses written straight into DynamoDB Local with
    // BatchWriteItem, and the aggregate items rebuilt from them (as the live path would have left them).
    const centreId = `c_cost_${Date.now().toString(36)}`;
    const month = todayInChina().slice(0, 7);
    const ddb = localClient(stack().dynamoEndpoint);
    const teams = ["t1", "t2", "t3"];
    const staff = ["s1", "s2", "s3", "s4"];
    const types = ["consultation", "chronic_followup"] as const;
    const dims = ["professional", "attitude", "waiting", "environment", "overall"] as const;
    let written = 0;
    const writeResponses = async (n: number) => {
      const items = Array.from({ length: n }, (_, k) => {
        const i = written + k;
        const invitationId = `inv_cost_${centreId}_${i}`;
        const submittedAt = new Date(Date.now() - i).toISOString();
        const ratings = dims.map((d, j) => ({ questionId: d, dimension: d, value: ((i + j) % 5) + 1 }));
        return {
          pk: `SURVEYINV#${invitationId}`,
          sk: "RESPONSE",
          gsi2pk: `SAT#${centreId}#${month}#RESPONSES`,
          gsi2sk: `${submittedAt}#${invitationId}`,
          type: "SurveyResponse",
          invitationId,
          surveyId: "s_default_visit",
          centreId,
          residentId: `r_cost_${i}`,
          month,
          about: { teamId: teams[i % 3], staffId: staff[i % 4], serviceType: types[i % 2] },
          answers: ratings.map(({ questionId, value }) => ({ questionId, value })),
          ratings,
          comments: [],
          low: ratings.some((r) => r.value <= 2),
          submittedAt,
        };
      });
      written += n;
      const batches: (typeof items)[] = [];
      for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
      const worker = async () => {
        for (let batch = batches.shift(); batch; batch = batches.shift()) {
          let request = batch.map((item) => ({ PutRequest: { Item: marshall(item) } }));
          while (request.length) {
            const out = await ddb.send(
              new BatchWriteItemCommand({ RequestItems: { [stack().tableName]: request } }),
            );
            request = (out.UnprocessedItems?.[stack().tableName] ?? []) as typeof request;
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      await b.surveys.rebuildAggregates(centreId, month, { write: true });
    };
    const session = { userId: "u_cost", roles: ["manager" as const], centreId };
    const measure = async () => {
      const out: Record<string, number> = {};
      for (const groupBy of ["team", "staff", "month", "dimension", "serviceType"] as const) {
        const r = await b.surveys.satisfactionScores(session, centreId, { groupBy }, { measure: true });
        out[groupBy] = r.consumedCapacity;
        if (groupBy === "month") out.responses = r.result.total.responses;
      }
      return out;
    };

    // Act
    await writeResponses(100);
    const small = await measure();
    await writeResponses(19_900);
    const large = await measure();

    // Assess
    console.log("consumed capacity (RCU) of the scores read", { at100: small, at20000: large });
    expect(small.responses).toBe(100);
    expect(large.responses).toBe(20_000);
    for (const groupBy of ["team", "staff", "month", "dimension", "serviceType"]) {
      expect(small[groupBy], groupBy).toBeGreaterThan(0);
      expect(large[groupBy], groupBy).toBe(small[groupBy]);
    }
  }, 180_000);
});

describe("default survey", () => {
  it("is stored idempotently for the first start", async () => {
    await b.repo.ensureDefaultSurveys();
    expect(await b.repo.ensureDefaultSurveys()).toBe(0);
    expect((await b.repo.getSurvey("s_default_visit"))?.trigger).toBe("after_appointment");
  });
});
