import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { keys } from "../functions/data/keys.js";
import { routes } from "../functions/routes.js";
import { localClient } from "../infra/local/dynamodb-local.js";
import { OPERATOR_KEY } from "../infra/local/runtime.js";
import { inviteDistrict } from "../ops/invite-district.js";
import { api, devLogin, eventually, stack, uniqueOpenid } from "./support/api.js";
import { accountWithRole, isolatedCentre, signedWith } from "./support/centres.js";

/**
 * The district's view (issue 15, item 5): a read-only role over the centres of a district, with a
 * report row per centre and a district total, the satisfaction floor, and every write refused.
 */

const month = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

/** A district of two fresh centres (5 and 1 signed residents, each answering a survey) and its viewer. */
async function isolatedDistrict() {
  const big = await isolatedCentre("甲");
  const small = await isolatedCentre("乙");
  const districtId = `d_iso_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await localClient(stack().dynamoEndpoint).send(
    new PutItemCommand({
      TableName: stack().tableName,
      Item: marshall({
        ...keys.district(districtId),
        type: "District",
        districtId,
        name: "测试区",
        centreIds: [big.centreId, small.centreId],
      }),
    }),
  );
  const viewer = await accountWithRole("district", { districtId });
  const questions = [{ questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度" }];
  for (const [c, n] of [
    [big, 5],
    [small, 1],
  ] as const) {
    await api("PUT", `/v1/centres/${c.centreId}/settings`, {
      token: c.manager,
      body: { crossAreaSigning: true },
    });
    const residents = [];
    for (let i = 0; i < n; i++) residents.push(await signedWith({ teamId: c.teamId, doctor: c.doctor }));
    const survey = await api("POST", `/v1/centres/${c.centreId}/surveys`, {
      token: c.manager,
      body: { title: "区测试问卷", trigger: "manual", questions, audience: { scope: "centre" } },
    });
    for (const r of residents) {
      const mine = await eventually(
        () => api("GET", "/v1/me/surveys?limit=100", { token: r.token }),
        (res) => res.body.items.some((i: { surveyId: string }) => i.surveyId === survey.body.surveyId),
        30_000,
      );
      const inv = mine.body.items.find((i: { surveyId: string }) => i.surveyId === survey.body.surveyId);
      const answered = await api("POST", `/v1/surveys/invitations/${inv.invitationId}/response`, {
        token: r.token,
        body: { answers: [{ questionId: "overall", value: 4 }] },
      });
      expect(answered.status).toBe(201);
    }
  }
  return { districtId, viewer: viewer.token, big, small };
}

const NUMERIC = [
  "signedHouseholds",
  "signedPersons",
  "contractsNew",
  "contractsRenewed",
  "contractsTerminated",
  "prioritySigned",
  "servicesDelivered",
  "appointmentsBooked",
  "noticesSent",
  "lowScores",
  "satisfactionResponses",
] as const;

describe("the district's monthly report", () => {
  it("has a row per centre, and the district total is their sum", async () => {
    const d = await isolatedDistrict();
    const report = await eventually(
      () => api("GET", `/v1/districts/${d.districtId}/reports/monthly?month=${month()}`, { token: d.viewer }),
      (res) => res.body.total?.contractsNew === 6 && res.body.total?.satisfactionResponses === 6,
      60_000,
    );
    expect(report.status).toBe(200);
    expect(report.body.centres.map((r: { key: string }) => r.key).sort()).toEqual(
      [d.big.centreId, d.small.centreId].sort(),
    );
    const rowOf = (id: string) => report.body.centres.find((r: { key: string }) => r.key === id);
    expect(rowOf(d.big.centreId)).toMatchObject({
      name: "甲社区卫生服务中心",
      contractsNew: 5,
      signedPersons: 5,
    });
    expect(rowOf(d.small.centreId)).toMatchObject({
      contractsNew: 1,
      signedPersons: 1,
      satisfactionAverage: null,
    });
    for (const field of NUMERIC) {
      const sum = report.body.centres.reduce(
        (n: number, r: Record<string, number>) => n + (r[field] ?? 0),
        0,
      );
      expect(report.body.total[field], field).toBe(sum);
    }
    expect(report.body.total).toMatchObject({ key: "total", name: "测试区合计", satisfactionAverage: 4 });

    const csv = await api(
      "GET",
      `/v1/districts/${d.districtId}/reports/monthly?month=${month()}&format=csv`,
      {
        token: d.viewer,
      },
    );
    expect(csv.status).toBe(200);
    // (fetch's text() drops the byte-order mark; the centre report's test checks the bytes)
    const lines = String(csv.body)
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]?.startsWith("社区卫生服务中心,签约户数")).toBe(true);
    expect(lines).toHaveLength(4);
  });

  it("applies the 5-response floor to the district's satisfaction", async () => {
    const d = await isolatedDistrict();
    const res = await eventually(
      () => api("GET", `/v1/districts/${d.districtId}/satisfaction?groupBy=centre`, { token: d.viewer }),
      (r) => r.body.total?.responses === 6,
      30_000,
    );
    expect(res.status).toBe(200);
    const byKey = new Map(res.body.groups.map((g: { key: string }) => [g.key, g]));
    expect(byKey.get(d.big.centreId)).toMatchObject({ responses: 5, average: 4 });
    expect(byKey.get(d.small.centreId)).toMatchObject({
      responses: 1,
      average: null,
      dimensions: { overall: { average: null } },
    });
    expect(res.body.total).toEqual({ responses: 6, average: 4 });
    const byMonth = await api("GET", `/v1/districts/${d.districtId}/satisfaction?groupBy=month`, {
      token: d.viewer,
    });
    expect(byMonth.body.groups).toEqual([
      expect.objectContaining({ key: month(), responses: 6, average: 4 }),
    ]);
    const bad = await api("GET", `/v1/districts/${d.districtId}/satisfaction?groupBy=team`, {
      token: d.viewer,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("groupBy");
  });

  it("gives a centre's manager a team's 12-month trend, under the same floor", async () => {
    const d = await isolatedDistrict();
    const from = `${new Date(Date.now() + 8 * 3_600_000 - 330 * 86_400_000).toISOString().slice(0, 7)}-01`;
    const trend = (c: { centreId: string; manager: string; teamId: string }) =>
      api("GET", `/v1/centres/${c.centreId}/satisfaction?groupBy=month&teamId=${c.teamId}&from=${from}`, {
        token: c.manager,
      });
    const big = await eventually(
      () => trend(d.big),
      (r) => r.body.total?.responses === 5,
      30_000,
    );
    expect(big.body.groups).toEqual([
      expect.objectContaining({
        key: month(),
        responses: 5,
        average: 4,
        dimensions: { overall: { responses: 5, average: 4 } },
      }),
    ]);
    const small = await eventually(
      () => trend(d.small),
      (r) => r.body.total?.responses === 1,
      30_000,
    );
    expect(small.body.groups).toEqual([
      expect.objectContaining({ key: month(), responses: 1, average: null }),
    ]);
    const other = await api(
      "GET",
      `/v1/centres/${d.big.centreId}/satisfaction?groupBy=month&teamId=${d.small.teamId}&from=${from}`,
      {
        token: d.big.manager,
      },
    );
    expect(other.body.groups).toEqual([]);
  });

  it("shows both demo centres of 东城区 to demo-district", async () => {
    const token = await devLogin("demo-district");
    const me = await api("GET", "/v1/me", { token });
    expect(me.body.user).toMatchObject({ id: "u_demo_district", districtId: "d_demo" });
    expect(me.body.user.roles).toContain("district");
    const report = await api("GET", `/v1/districts/d_demo/reports/monthly?month=${month()}`, { token });
    expect(report.status).toBe(200);
    expect(report.body.districtName).toBe("东城区");
    expect(report.body.centres.map((r: { key: string }) => r.key).sort()).toEqual(["c_demo", "c_demo_2"]);
    expect(report.body.coverage.map((c: { key: string }) => c.key).sort()).toEqual([
      "c_demo",
      "c_demo_2",
      "total",
    ]);
    expect(report.body.coverage[0].targets).toEqual({ overall: 0.75, priority: 0.85 });
  });
});

describe("what the district may not do", () => {
  it("refuses every write of the route table to a district account with 403", async () => {
    const token = await devLogin("demo-district");
    const writes = routes.filter((r) => r.method !== "GET" && r.auth !== "public");
    expect(writes.length).toBeGreaterThan(30);
    const refused: string[] = [];
    for (const route of writes) {
      const path = route.path.replace(/\{\w+\}/g, "x1");
      const res = await api(route.method, path, { token, body: {} });
      if (res.status !== 403) refused.push(`${route.operationId}: ${res.status}`);
    }
    expect(refused).toEqual([]);
  });

  it("lets a district read only its own district, and no centre manager read a district", async () => {
    const token = await devLogin("demo-district");
    expect((await api("GET", `/v1/districts/d_other/reports/monthly`, { token })).status).toBe(403);
    expect((await api("GET", `/v1/districts/d_other/satisfaction`, { token })).status).toBe(403);
    // District accounts read the district's rows, not a centre's own report
    expect((await api("GET", `/v1/centres/c_demo/reports/monthly`, { token })).status).toBe(403);
    const manager = await devLogin("demo-manager");
    expect((await api("GET", `/v1/districts/d_demo/reports/monthly`, { token: manager })).status).toBe(403);
    expect((await api("GET", `/v1/districts/d_demo/satisfaction`, { token: manager })).status).toBe(403);
    expect((await api("GET", `/v1/centres/c_demo_2/reports/monthly`, { token: manager })).status).toBe(403);
  });
});

describe("npm run ops -- invite-district", () => {
  it("issues a one-time code: its claimer reads the district and writes nothing, centre staff cannot claim one", async () => {
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack().edgeUrl,
        region: "cn-north-1",
        credentials: { accessKeyId: OPERATOR_KEY, secretAccessKey: "local" },
      }),
    );
    await expect(inviteDistrict(db, stack().tableName, "d_nowhere")).rejects.toThrow(/does not exist/);
    await expect(inviteDistrict(db, stack().tableName, "d_demo", { days: 90 })).rejects.toThrow(/--days/);
    const invitation = await inviteDistrict(db, stack().tableName, "d_demo");
    expect(invitation.code).toMatch(/^[A-Z2-9]{8}$/);

    const openid = uniqueOpenid("district");
    const before = await devLogin(openid);
    expect((await api("GET", "/v1/districts/d_demo/reports/monthly", { token: before })).status).toBe(403);
    // Typed as people type it: lower case, with a space
    const typed = `${invitation.code.slice(0, 4).toLowerCase()} ${invitation.code.slice(4)}`;
    const claimed = await api("POST", "/v1/invitations/claim", { token: before, body: { code: typed } });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body.user.roles).toEqual(["resident", "district"]);
    const after = claimed.body.token as string;
    expect((await api("GET", "/v1/districts/d_demo/satisfaction", { token: after })).status).toBe(200);
    expect((await api("GET", "/v1/districts/d_other/satisfaction", { token: after })).status).toBe(403);
    expect((await api("PUT", "/v1/me/profile", { token: after, body: {} })).status).toBe(403);
    // Claiming only adds: the token from before still works, with what it granted then
    expect((await api("GET", "/v1/me", { token: before })).status).toBe(200);
    expect((await api("GET", "/v1/districts/d_demo/satisfaction", { token: before })).status).toBe(403);
    // One-time: a second account is refused
    const other = await devLogin(uniqueOpenid("district-2"));
    const again = await api("POST", "/v1/invitations/claim", {
      token: other,
      body: { code: invitation.code },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("INVITATION_INVALID");

    // A centre's staff cannot also be a district viewer; the code stays open for the right person
    const second = await inviteDistrict(db, stack().tableName, "d_demo");
    const manager = await devLogin("demo-manager");
    const refused = await api("POST", "/v1/invitations/claim", {
      token: manager,
      body: { code: second.code },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("OTHER_CENTRE");
    const stillOpen = await api("POST", "/v1/invitations/claim", {
      token: other,
      body: { code: second.code },
    });
    expect(stillOpen.status).toBe(200);
  });
});
