import { BatchWriteItemCommand, QueryCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { localClient } from "../infra/local/dynamodb-local.js";
import { api, devLogin, eventually, stack, uniqueOpenid } from "./support/api.js";
import { idNumberFor, newTeamWithDoctor, runJob, signedResident } from "./support/contracts.js";
import {
  delivered,
  inbox,
  noticeBody,
  published as publishedStats,
  queueIdle,
  sqsControl,
} from "./support/notices.js";

const soonLecture = (capacity: number) => ({
  venue: "中心三楼多功能厅",
  startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
  capacity,
});

describe("publishing and targeting", () => {
  it("reaches exactly the team's signed residents; other teams' residents get nothing", async () => {
    const a = await newTeamWithDoctor();
    const b = await newTeamWithDoctor();
    const mine = await Promise.all([signedResident(a.teamId, a.doctor), signedResident(a.teamId, a.doctor)]);
    const theirs = await signedResident(b.teamId, b.doctor);
    // The author confirms the audience size first: the team's running figure, kept by the stream.
    const estimate = await eventually(
      () =>
        api("POST", "/v1/notices/audience-estimate", {
          token: a.doctor,
          body: { audience: { scope: "team", teamId: a.teamId } },
        }),
      (res) => res.body?.audienceSize === 2,
      20_000,
    );
    expect(estimate).toMatchObject({ status: 200, body: { audienceSize: 2 } });
    const published = await api("POST", "/v1/notices", {
      token: a.doctor,
      body: noticeBody({ scope: "team", teamId: a.teamId }),
    });
    expect(published.status).toBe(201);
    // accepted and queued: the fan-out runs in the workers, and the audience is counted as it goes
    expect(published.body.status).toBe("publishing");
    expect(await publishedStats(published.body.noticeId, a.doctor)).toMatchObject({
      audienceSize: 2,
      delivered: 2,
    });
    for (const r of mine)
      expect((await inbox(r.token)).items.map((i: { noticeId: string }) => i.noticeId)).toContain(
        published.body.noticeId,
      );
    expect((await inbox(theirs.token)).items.map((i: { noticeId: string }) => i.noticeId)).not.toContain(
      published.body.noticeId,
    );
    // and no one can read it by id who was not meant to
    expect((await api("GET", `/v1/notices/${published.body.noticeId}`, { token: theirs.token })).status).toBe(
      404,
    );
  });

  it("lets staff publish only to their own team, and refuses residents and markup", async () => {
    const a = await newTeamWithDoctor();
    const b = await newTeamWithDoctor();
    expect(
      (
        await api("POST", "/v1/notices", {
          token: a.doctor,
          body: noticeBody({ scope: "team", teamId: b.teamId }),
        })
      ).status,
    ).toBe(403);
    expect(
      (await api("POST", "/v1/notices", { token: a.doctor, body: noticeBody({ scope: "centre" }) })).status,
    ).toBe(403);
    const foreign = await api("POST", "/v1/notices/audience-estimate", {
      token: a.doctor,
      body: { audience: { scope: "team", teamId: b.teamId } },
    });
    expect(foreign.status).toBe(403);
    const resident = await signedResident(a.teamId, a.doctor);
    expect(
      (
        await api("POST", "/v1/notices", {
          token: resident.token,
          body: noticeBody({ scope: "team", teamId: a.teamId }),
        })
      ).status,
    ).toBe(403);
    const html = await api("POST", "/v1/notices", {
      token: a.doctor,
      body: noticeBody({ scope: "team", teamId: a.teamId }, { title: "<script>alert(1)</script>" }),
    });
    expect(html.status).toBe(400);
    expect(html.body.error.details[0].path).toBe("title");
  });

  it("sends a 'children 0–6' notice to no adult", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const parent = await signedResident(teamId, doctor, { birthDate: "1990-06-06" });
    const child = await api("POST", "/v1/me/family", {
      token: parent.token,
      body: {
        name: "小宝",
        idType: "resident_id_card",
        idNumber: idNumberFor("2022-02-02"),
        relation: "child",
      },
    });
    const applied = await api("POST", "/v1/contracts", {
      token: parent.token,
      body: {
        residentId: child.body.residentId,
        teamId,
        packageIds: [],
        agreementVersion: "2026-01",
        signature: { confirmed: true },
      },
    });
    await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
    const elder = await signedResident(teamId, doctor, { birthDate: "1945-01-01" });
    const notice = await api("POST", "/v1/notices", {
      token: doctor,
      body: noticeBody({ scope: "team", teamId, groups: ["children"] }, { title: "预防手足口病" }),
    });
    expect(await publishedStats(notice.body.noticeId, doctor)).toMatchObject({
      audienceSize: 1,
      delivered: 1,
    });
    const parentInbox = await inbox(parent.token);
    // the family account sees it, addressed to the child and not to the adult
    const copies = parentInbox.items.filter((i: { noticeId: string }) => i.noticeId === notice.body.noticeId);
    expect(copies.map((c: { residentId: string }) => c.residentId)).toEqual([child.body.residentId]);
    expect((await inbox(elder.token)).items.map((i: { noticeId: string }) => i.noticeId)).not.toContain(
      notice.body.noticeId,
    );
  });

  it("publishes a scheduled notice only when its time comes", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const at = new Date(Date.now() + 10 * 60_000).toISOString();
    const notice = await api("POST", "/v1/notices", {
      token: doctor,
      body: noticeBody({ scope: "team", teamId }, { publishAt: at }),
    });
    expect(notice.body.status).toBe("scheduled");
    await runJob("noticePublisher", new Date().toISOString());
    await queueIdle();
    expect(
      (await api("GET", `/v1/notices/${notice.body.noticeId}/stats`, { token: doctor })).body.delivered,
    ).toBe(0);
    await runJob("noticePublisher", new Date(Date.now() + 11 * 60_000).toISOString());
    // the same path as publishing now: queued, paged, and published with its counted audience
    expect(await publishedStats(notice.body.noticeId, doctor)).toMatchObject({
      audienceSize: 1,
      delivered: 1,
    });
    expect((await inbox(resident.token)).items[0].noticeId).toBe(notice.body.noticeId);
  });
});

describe("inbox, reading and lectures", () => {
  it("shows a notice unread, marks it read once, and the stats count one read", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const notice = await api("POST", "/v1/notices", {
      token: doctor,
      body: noticeBody({ scope: "team", teamId }),
    });
    await delivered(notice.body.noticeId, doctor, 1);
    const before = await inbox(resident.token);
    expect(before.unread).toBeGreaterThanOrEqual(1);
    expect(before.items.find((i: { noticeId: string }) => i.noticeId === notice.body.noticeId).read).toBe(
      false,
    );
    const read = await api("POST", `/v1/notices/${notice.body.noticeId}/read`, { token: resident.token });
    expect(read.status).toBe(204);
    await api("POST", `/v1/notices/${notice.body.noticeId}/read`, { token: resident.token });
    const after = await inbox(resident.token);
    expect(after.unread).toBe(before.unread - 1);
    expect(
      (await api("GET", `/v1/notices/${notice.body.noticeId}/stats`, { token: doctor })).body,
    ).toMatchObject({
      audienceSize: 1,
      delivered: 1,
      read: 1,
    });
    expect(
      (await api("GET", `/v1/notices/${notice.body.noticeId}/stats`, { token: resident.token })).status,
    ).toBe(403);
  });

  it("never registers more than capacity under concurrency, once per resident, and attendance counts as education", async () => {
    const capacity = 5;
    const { teamId, doctor } = await newTeamWithDoctor();
    const residents = await Promise.all(
      Array.from({ length: capacity + 30 }, () => signedResident(teamId, doctor)),
    );
    const lecture = await api("POST", "/v1/notices", {
      token: doctor,
      body: {
        ...noticeBody({ scope: "team", teamId }),
        kind: "lecture",
        title: "高血压自我管理讲座",
        lecture: soonLecture(capacity),
      },
    });
    await delivered(lecture.body.noticeId, doctor, residents.length);
    const results = await Promise.all(
      residents.map((r) =>
        api("POST", `/v1/notices/${lecture.body.noticeId}/registrations`, {
          token: r.token,
          body: { residentId: r.residentId },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(capacity);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === "LECTURE_FULL")).toHaveLength(30);
    const winner = residents[results.findIndex((r) => r.status === 201)]!;
    const again = await api("POST", `/v1/notices/${lecture.body.noticeId}/registrations`, {
      token: winner.token,
      body: { residentId: winner.residentId },
    });
    expect(again.body.error.code).toBe("ALREADY_REGISTERED");
    const list = await api("GET", `/v1/notices/${lecture.body.noticeId}/registrations`, { token: doctor });
    expect(list.body.items).toHaveLength(capacity);
    expect(list.body.items.map((r: { residentId: string }) => r.residentId)).toContain(winner.residentId);
    expect(
      (await api("GET", `/v1/notices/${lecture.body.noticeId}/registrations`, { token: winner.token }))
        .status,
    ).toBe(403);
    const attended = await api("POST", `/v1/notices/${lecture.body.noticeId}/attendance`, {
      token: doctor,
      body: { residentId: winner.residentId },
    });
    expect(attended.body.attendedAt).toBeTruthy();
    const contract = await api("GET", `/v1/contracts/${winner.contract.contractId}`, { token: winner.token });
    expect(
      contract.body.entitlements.find((e: { type: string }) => e.type === "health_education").delivered,
    ).toBe(1);
    expect(
      (await api("GET", `/v1/notices/${lecture.body.noticeId}/stats`, { token: doctor })).body,
    ).toMatchObject({
      registered: capacity,
      attended: 1,
    });
  }, 60_000);
});

describe("WeChat subscribe messages", () => {
  it("pushes once per granted subscription, uses the grant up, and counts WeChat's refusal", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const openid = uniqueOpenid("push");
    const token = await devLogin(openid);
    const resident = await signedResident(teamId, doctor);
    // the pushing account is the resident's own: use a fresh resident whose openid we know
    const own = await api("PUT", "/v1/me/profile", {
      token,
      body: {
        name: "推送测试",
        idType: "resident_id_card",
        idNumber: idNumberFor("1970-07-07"),
        phone: "13700001111",
        neighbourhoodId: "n_demo_1",
        address: "和平里一区 9 号",
        consents: { privacyPolicyVersion: "2026-01", healthData: true },
      },
    });
    const applied = await api("POST", "/v1/contracts", {
      token,
      body: {
        residentId: own.body.residentId,
        teamId,
        packageIds: [],
        agreementVersion: "2026-01",
        signature: { confirmed: true },
      },
    });
    await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
    const grant = await api("POST", "/v1/me/subscriptions", {
      token,
      body: { results: { "tmpl-health-notice": "accept" } },
    });
    expect(grant.body.grants).toEqual([{ templateId: "tmpl-health-notice", remaining: 1 }]);
    await fetch(`${stack().wechatUrl}/__fake/subscriptions`, {
      method: "POST",
      body: JSON.stringify({ openid, templateId: "tmpl-health-notice" }),
    });

    const first = await api("POST", "/v1/notices", {
      token: doctor,
      body: noticeBody({ scope: "team", teamId }),
    });
    const stats1 = await publishedStats(first.body.noticeId, doctor);
    await queueIdle();
    const s1 = (await api("GET", `/v1/notices/${first.body.noticeId}/stats`, { token: doctor })).body;
    expect(s1).toMatchObject({ delivered: 2, pushed: 1, pushRefused: 0 });
    expect(stats1.audienceSize).toBe(2);
    const sent = (await (await fetch(`${stack().wechatUrl}/__fake/sent`)).json()) as {
      messages: { touser: string }[];
    };
    expect(sent.messages.filter((m) => m.touser === openid)).toHaveLength(1);

    // the grant is used up: the next notice is delivered to the inbox only
    const second = await api("POST", "/v1/notices", {
      token: doctor,
      body: noticeBody({ scope: "team", teamId }, { title: "第二条通知" }),
    });
    await delivered(second.body.noticeId, doctor, 2);
    await queueIdle();
    expect(
      (await api("GET", `/v1/notices/${second.body.noticeId}/stats`, { token: doctor })).body.pushed,
    ).toBe(0);

    // our ledger says granted, WeChat says the user refused (43101): counted, not retried
    await api("POST", "/v1/me/subscriptions", {
      token,
      body: { results: { "tmpl-health-notice": "accept" } },
    });
    const third = await api("POST", "/v1/notices", {
      token: doctor,
      body: noticeBody({ scope: "team", teamId }, { title: "第三条通知" }),
    });
    await delivered(third.body.noticeId, doctor, 2);
    await queueIdle();
    expect(
      (await api("GET", `/v1/notices/${third.body.noticeId}/stats`, { token: doctor })).body,
    ).toMatchObject({ pushed: 0, pushRefused: 1 });
    expect(resident.residentId).toBeTruthy();
    // three fan-outs one after the other, each through the queue
  }, 60_000);
});

describe("fan-out at scale (DynamoDB Local + local SQS)", () => {
  it("delivers a centre notice to exactly 5,000 residents, idempotently, with a poison message parked in the DLQ", async () => {
    const ddb = localClient(stack().dynamoEndpoint);
    const { tableName } = stack();
    const run = Date.now().toString(36);
    const centreId = `c_fan_${run}`;
    const teamId = `t_fan_${run}`;
    const items = [
      {
        pk: `TEAM#${teamId}`,
        sk: "TEAM",
        gsi1pk: `CENTRE#${centreId}#TEAMS`,
        gsi1sk: teamId,
        type: "Team",
        teamId,
        centreId,
        name: "分发测试团队",
        // Contracts are written straight to the table, not through the team: no counters to check.
        fixture: true,
        members: [],
        capacityHouseholds: 800,
        signedHouseholds: 0,
        signedPersons: 0,
      },
      ...Array.from({ length: 5000 }, (_, i) => {
        const contractId = `k_fan_${run}_${i}`;
        return {
          pk: `CONTRACT#${contractId}`,
          sk: "CONTRACT",
          gsi1pk: `TEAM#${teamId}#CONTRACTS`,
          gsi1sk: `active#2026-01-01T00:00:00.000Z#${contractId}`,
          type: "Contract",
          contractId,
          residentId: `r_fan_${run}_${i}`,
          householdId: `h_fan_${run}_${i}`,
          teamId,
          centreId,
          status: "active",
          resident: { birthDate: "1960-01-01" },
          groupsAtSigning: [],
        };
      }),
    ];
    for (let i = 0; i < items.length; i += 25) {
      await ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [tableName]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item) } })),
          },
        }),
      );
    }
    const openid = uniqueOpenid("fanmgr");
    const login = await api("POST", "/v1/auth/dev-login", { body: { openid } });
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall({ pk: `USER#${login.body.user.id}`, sk: "USER" }),
        UpdateExpression: "SET #roles = :roles, centreId = :c",
        ExpressionAttributeNames: { "#roles": "roles" },
        ExpressionAttributeValues: marshall({ ":roles": ["manager"], ":c": centreId }),
      }),
    );
    const manager = await devLogin(openid);

    // a poison message first: it must not hold up the real ones
    await sqsControl("messages", {
      noticeId: "n_does_not_exist",
      recipients: [{ residentId: "r_x", householdId: "h_x" }],
    });
    const notice = await api("POST", "/v1/notices", {
      token: manager,
      body: noticeBody({ scope: "centre", centreId }),
    });
    expect(notice.status).toBe(201);
    expect(notice.body.status).toBe("publishing");
    const stats = await publishedStats(notice.body.noticeId, manager, 240_000);
    expect(stats).toMatchObject({ audienceSize: 5000, delivered: 5000 });

    // the first page's message again (SQS delivers at least once): the checkpoint has moved on
    await sqsControl("messages", {
      kind: "page",
      noticeId: notice.body.noticeId,
      teamId,
      page: 0,
      segment: "active",
    });
    await sqsControl("messages", { kind: "start", noticeId: notice.body.noticeId });

    // the same batch delivered again writes nothing
    await sqsControl("messages", {
      noticeId: notice.body.noticeId,
      recipients: Array.from({ length: 100 }, (_, i) => ({
        residentId: `r_fan_${run}_${i}`,
        householdId: `h_fan_${run}_${i}`,
      })),
    });
    await queueIdle();
    expect(
      (await api("GET", `/v1/notices/${notice.body.noticeId}/stats`, { token: manager })).body.delivered,
    ).toBe(5000);
    const dlq = (await sqsControl("dlq")) as { messages: { body: string; receives: number }[] };
    const poison = dlq.messages.find((m) => m.body.includes("n_does_not_exist"));
    expect(poison?.receives).toBe(5);
  }, 300_000);
});

/** A centre of its own with one team of `count` signed residents, written straight to the table. */
async function seededCentre(prefix: string, count: number) {
  const ddb = localClient(stack().dynamoEndpoint);
  const { tableName } = stack();
  const run = `${prefix}_${Date.now().toString(36)}`;
  const centreId = `c_${run}`;
  const teamId = `t_${run}`;
  const residentId = (i: number) => `r_${run}_${String(i).padStart(4, "0")}`;
  const items = [
    {
      pk: `TEAM#${teamId}`,
      sk: "TEAM",
      gsi1pk: `CENTRE#${centreId}#TEAMS`,
      gsi1sk: teamId,
      type: "Team",
      teamId,
      centreId,
      name: "分页测试团队",
      // Contracts are written straight to the table, not through the team: no counters to check.
      fixture: true,
      members: [],
      capacityHouseholds: 800,
      signedHouseholds: 0,
      signedPersons: 0,
    },
    ...Array.from({ length: count }, (_, i) => {
      const contractId = `k_${run}_${String(i).padStart(4, "0")}`;
      return {
        pk: `CONTRACT#${contractId}`,
        sk: "CONTRACT",
        gsi1pk: `TEAM#${teamId}#CONTRACTS`,
        gsi1sk: `active#2026-01-01T00:00:00.000Z#${contractId}`,
        type: "Contract",
        contractId,
        residentId: residentId(i),
        householdId: `h_${run}_${i}`,
        teamId,
        centreId,
        status: "active",
        resident: { birthDate: "1960-01-01" },
        groupsAtSigning: [],
      };
    }),
  ];
  for (let i = 0; i < items.length; i += 25) {
    await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [tableName]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item) } })),
        },
      }),
    );
  }
  const openid = uniqueOpenid(`${prefix}mgr`);
  const login = await api("POST", "/v1/auth/dev-login", { body: { openid } });
  await ddb.send(
    new UpdateItemCommand({
      TableName: tableName,
      Key: marshall({ pk: `USER#${login.body.user.id}`, sk: "USER" }),
      UpdateExpression: "SET #roles = :roles, centreId = :c",
      ExpressionAttributeNames: { "#roles": "roles" },
      ExpressionAttributeValues: marshall({ ":roles": ["manager"], ":c": centreId }),
    }),
  );
  return { ddb, tableName, centreId, teamId, residentId, manager: await devLogin(openid) };
}

describe("fan-out that breaks off mid-page", () => {
  it("resumes from its checkpoint with no second copy for anyone, and no notice stays publishing", async () => {
    // Prepare: 150 residents = two pages; one on the second page has an inbox counter that cannot
    // be updated, so that page fails after writing the others, every time SQS delivers it.
    const count = 150;
    const { ddb, tableName, centreId, residentId, manager } = await seededCentre("cut", count);
    const broken = residentId(120);
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall({ pk: `RES#${broken}`, sk: "INBOXSTATS" }),
        UpdateExpression: "SET unread = :text, #type = :type",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: marshall({ ":text": "not a number", ":type": "InboxCounter" }),
      }),
    );

    // Act: publish; the second page is received 5 times, then parked in the dead-letter queue
    const notice = await api("POST", "/v1/notices", {
      token: manager,
      body: noticeBody({ scope: "centre", centreId }),
    });
    expect(notice.status).toBe(201);
    const noticeId = notice.body.noticeId as string;
    const deadline = Date.now() + 60_000;
    let parked: { body: string; receives: number } | undefined;
    while (!parked && Date.now() < deadline) {
      const dlq = (await sqsControl("dlq")) as { messages: { body: string; receives: number }[] };
      parked = dlq.messages.find((m) => m.body.includes(noticeId));
      if (!parked) await new Promise((r) => setTimeout(r, 200));
    }

    // Assess: the rest of that page was delivered once, however often it was redelivered
    expect(parked?.receives).toBe(5);
    expect(JSON.parse(parked?.body ?? "{}")).toMatchObject({ kind: "page", page: 1 });
    expect((await api("GET", `/v1/notices/${noticeId}`, { token: manager })).body.status).toBe("publishing");
    // Deliveries are counted per completed page: the first page's 100, not yet the stalled one's.
    expect((await api("GET", `/v1/notices/${noticeId}/stats`, { token: manager })).body.delivered).toBe(100);

    // Act: the fault is gone; the publisher's sweep finds the stalled fan-out and resumes it
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall({ pk: `RES#${broken}`, sk: "INBOXSTATS" }),
        UpdateExpression: "SET unread = :zero",
        ExpressionAttributeValues: marshall({ ":zero": 0 }),
      }),
    );
    const sweep = await runJob("noticePublisher", new Date(Date.now() + 20 * 60_000).toISOString());
    expect(sweep.resumed).toBeGreaterThanOrEqual(1);

    // Assess: published with the exact audience, one copy per resident
    expect(await publishedStats(noticeId, manager)).toMatchObject({ audienceSize: count, delivered: count });
    for (const i of [0, 99, 100, 119, 120, 149]) {
      const copies = await ddb.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk",
          FilterExpression: "noticeId = :n",
          ExpressionAttributeValues: marshall({ ":pk": `INBOX#${residentId(i)}`, ":n": noticeId }),
        }),
      );
      expect(copies.Items, residentId(i)).toHaveLength(1);
    }
  }, 120_000);
});

describe("households reached this year", () => {
  it("lists a signed household until a notice reaches it", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const manager = await devLogin("demo-manager");
    const year = new Date().getUTCFullYear();
    const unreached = async () => {
      const found: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 200; page++) {
        const q: string = cursor ? `&cursor=${cursor}` : "";
        const res = await api(
          "GET",
          `/v1/centres/c_demo/households-without-notice?year=${year}&limit=100${q}`,
          { token: manager },
        );
        found.push(
          ...res.body.items
            .filter((h: { teamId: string }) => h.teamId === teamId)
            .map((h: { householdId: string }) => h.householdId),
        );
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      return found;
    };
    expect(await unreached()).toHaveLength(1);
    const notice = await api("POST", "/v1/notices", {
      token: doctor,
      body: noticeBody({ scope: "team", teamId }),
    });
    await delivered(notice.body.noticeId, doctor, 1);
    expect(await unreached()).toHaveLength(0);
    expect(resident.residentId).toBeTruthy();
    expect((await api("GET", "/v1/centres/c_demo/households-without-notice", { token: doctor })).status).toBe(
      403,
    );
  });

  it("suggests the season's notices for the month", async () => {
    const manager = await devLogin("demo-manager");
    const nov = await api("GET", "/v1/centres/c_demo/notice-suggestions?month=2026-11", { token: manager });
    expect(nov.body.items.map((s: { key: string }) => s.key)).toContain("influenza");
    const jul = await api("GET", "/v1/centres/c_demo/notice-suggestions?month=2026-07", { token: manager });
    expect(jul.body.items.map((s: { key: string }) => s.key)).toEqual(
      expect.arrayContaining(["heatstroke", "hfmd"]),
    );
    expect(jul.body.items.map((s: { key: string }) => s.key)).not.toContain("influenza");
  });
});
