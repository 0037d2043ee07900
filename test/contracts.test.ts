import { type AttributeValue, BatchWriteItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { localClient } from "../infra/local/dynamodb-local.js";
import { addDays, contractEndDate, todayInChina } from "../shared/dates.js";
import { api, devLogin, eventually, newResident, stack } from "./support/api.js";
import { publish, slotCounter, tomorrow } from "./support/appointments.js";
import {
  applyBody,
  idNumberFor,
  newTeamWithDoctor,
  runJob,
  signedResident,
  team,
} from "./support/contracts.js";
import { queueIdle, sendToQueue } from "./support/queues.js";
import { signedLock, teamCounts } from "./support/stored.js";

describe("teams and packages", () => {
  it("lists the demo teams with members, capacity and remaining households", async () => {
    const token = await devLogin("demo-manager");
    const t1 = await team("t_demo_1", token);
    expect(t1.members.map((m: { role: string }) => m.role)).toEqual(["doctor", "nurse", "public_health"]);
    expect(t1.capacityHouseholds).toBe(600);
    expect(t1.remainingHouseholds).toBe(t1.capacityHouseholds - t1.signedHouseholds);
  });

  it("lists the free basic package and the optional packages with fees in fen", async () => {
    const token = await devLogin("demo-manager");
    const res = await api("GET", "/v1/centres/c_demo/packages", { token });
    expect(res.status).toBe(200);
    const basic = res.body.items.find((p: { basic: boolean }) => p.basic);
    expect(basic.feeFen).toBe(0);
    const chronic = res.body.items.find((p: { packageId: string }) => p.packageId === "p_chronic");
    expect(chronic.residentPaysFen).toBe(chronic.feeFen - chronic.subsidyFen);
    expect(chronic.targetGroups).toEqual(["chronic"]);
  });

  it("never lets a team's capacity exceed 800 households or drop below what it serves", async () => {
    const { teamId, manager } = await newTeamWithDoctor(1);
    const over = await api("PUT", `/v1/teams/${teamId}/capacity`, {
      token: manager,
      body: { capacityHouseholds: 801 },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.details[0].path).toBe("capacityHouseholds");
    const resident = await newResident();
    await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, teamId),
    });
    const ok = await api("PUT", `/v1/teams/${teamId}/capacity`, {
      token: manager,
      body: { capacityHouseholds: 5 },
    });
    expect(ok.body.remainingHouseholds).toBe(4);
  });
});

describe("apply and review", () => {
  it("applies, is approved by the team for exactly one year, and shows entitlements", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await newResident({ birthDate: "1955-04-01", declaredGroups: ["chronic"] });
    const applied = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, teamId, ["p_chronic"]),
    });
    expect(applied.status).toBe(201);
    expect(applied.body.status).toBe("pending");
    expect(applied.body.packageIds).toEqual(["p_basic", "p_chronic"]);
    expect(applied.body.resident.idNumberMasked).not.toContain(resident.idNumber);
    const again = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, teamId),
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_SIGNED");

    const pending = await eventually(
      () => api("GET", `/v1/teams/${teamId}/contracts?status=pending`, { token: doctor }),
      (list) => list.body.items.length > 0,
    );
    expect(pending.body.items.map((c: { contractId: string }) => c.contractId)).toContain(
      applied.body.contractId,
    );
    expect(pending.body.items[0].overdue).toBe(false);

    const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe("active");
    expect(approved.body.startDate).toBe(todayInChina());
    expect(approved.body.endDate).toBe(contractEndDate(todayInChina()));
    const followups = approved.body.entitlements.find((e: { type: string }) => e.type === "chronic_followup");
    expect(followups).toMatchObject({ entitled: 4, delivered: 0, name: "慢病随访" });

    const mine = await eventually(
      () => api("GET", `/v1/residents/${resident.residentId}/contracts`, { token: resident.token }),
      (list) => list.body.items.length > 0,
    );
    expect(mine.body.items[0]).toMatchObject({ contractId: applied.body.contractId, status: "active" });
    const twice = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
    expect(twice.status).toBe(409);
  });

  it("refuses packages that do not fit the resident with 400 naming the package", async () => {
    const { teamId } = await newTeamWithDoctor();
    const elder = await newResident({ birthDate: "1952-01-01" });
    const res = await api("POST", "/v1/contracts", {
      token: elder.token,
      body: applyBody(elder.residentId, teamId, ["p_elderly", "p_child"]),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe("packageIds.1");
    const list = await api("GET", `/v1/residents/${elder.residentId}/contracts`, { token: elder.token });
    expect(list.body.items).toHaveLength(0);
  });

  it("refuses an outdated agreement version and an unconfirmed signature", async () => {
    const { teamId } = await newTeamWithDoctor();
    const resident = await newResident();
    const old = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: { ...applyBody(resident.residentId, teamId), agreementVersion: "2020-01" },
    });
    expect(old.status).toBe(409);
    expect(old.body.error.code).toBe("VERSION_OUTDATED");
    const unsigned = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: { ...applyBody(resident.residentId, teamId), signature: { confirmed: false } },
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.error.details[0].path).toBe("signature.confirmed");
  });
});

describe("searching a team's contracts", () => {
  type Listed = { items: { contractId: string; resident: { name: string } }[]; nextCursor: string | null };

  /** Every page of one search, one contract per page, so each page boundary is crossed. */
  async function allPages(teamId: string, token: string, query: string) {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(
        "GET",
        `/v1/teams/${teamId}/contracts?${query}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        {
          token,
        },
      );
      expect(res.status).toBe(200);
      const body = res.body as Listed;
      expect(body.items.length).toBeLessThanOrEqual(1);
      ids.push(...body.items.map((c) => c.contractId));
      cursor = body.nextCursor;
    } while (cursor);
    return ids;
  }

  it("finds residents by part of the name or the masked phone's last 4 digits, page by page", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const apply = async (name: string) => {
      const r = await newResident({ name });
      const applied = await api("POST", "/v1/contracts", {
        token: r.token,
        body: applyBody(r.residentId, teamId),
      });
      expect(applied.status).toBe(201);
      return applied.body as { contractId: string; resident: { phoneMasked: string } };
    };
    const wangA = await apply("王秀英");
    const li = await apply("李明");
    const wangB = await apply("王建国");
    const signed = await signedResident(teamId, doctor, { name: "王丽" });
    await eventually(
      () => api("GET", `/v1/teams/${teamId}/contracts?limit=100`, { token: doctor }),
      (res) => res.body.items?.length === 4,
    );

    expect(await allPages(teamId, doctor, `status=pending&q=${encodeURIComponent("王")}`)).toEqual([
      wangA.contractId,
      wangB.contractId,
    ]);
    // Without a status, every status: each match once across the pages.
    expect((await allPages(teamId, doctor, `q=${encodeURIComponent("王")}`)).sort()).toEqual(
      [signed.contract.contractId, wangA.contractId, wangB.contractId].sort(),
    );
    const last4 = li.resident.phoneMasked.slice(-4);
    const byPhone = await api("GET", `/v1/teams/${teamId}/contracts?q=${last4}`, { token: doctor });
    expect(byPhone.body.items.map((c: { contractId: string }) => c.contractId)).toContain(li.contractId);
    expect(
      byPhone.body.items.every((c: { resident: { phoneMasked: string } }) =>
        c.resident.phoneMasked.includes(last4),
      ),
    ).toBe(true);
    const none = await api("GET", `/v1/teams/${teamId}/contracts?q=${encodeURIComponent("赵")}`, {
      token: doctor,
    });
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it("answers a blank or over-long search with a 400 naming q", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    for (const q of ["%20", "1".repeat(21)]) {
      const res = await api("GET", `/v1/teams/${teamId}/contracts?q=${q}`, { token: doctor });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe("q");
    }
  });
});

describe("authorisation", () => {
  it("lets no one but the contract's team approve, and no resident approve their own", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const other = await newTeamWithDoctor();
    const resident = await newResident();
    const applied = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, teamId),
    });
    const id = applied.body.contractId;
    expect((await api("POST", `/v1/contracts/${id}/approve`, { token: other.doctor })).status).toBe(404);
    expect((await api("POST", `/v1/contracts/${id}/approve`, { token: resident.token })).status).toBe(403);
    expect(
      (await api("POST", `/v1/contracts/${id}/approve`, { token: await devLogin("demo-manager") })).status,
    ).toBe(403);
    expect((await api("GET", `/v1/contracts/${id}`, { token: other.doctor })).status).toBe(404);
    expect((await api("GET", `/v1/teams/${teamId}/contracts`, { token: other.doctor })).status).toBe(403);
    expect((await api("POST", `/v1/contracts/${id}/approve`, { token: doctor })).status).toBe(200);
  });

  it("lets resident A neither apply for, nor read, resident B; a representative acts for their family", async () => {
    const { teamId } = await newTeamWithDoctor();
    const a = await newResident();
    const b = await newResident();
    const forB = await api("POST", "/v1/contracts", {
      token: a.token,
      body: applyBody(b.residentId, teamId),
    });
    expect(forB.status).toBe(403);
    expect((await api("GET", `/v1/residents/${b.residentId}/contracts`, { token: a.token })).status).toBe(
      403,
    );
    const child = await api("POST", "/v1/me/family", {
      token: a.token,
      body: {
        name: "小明",
        idType: "resident_id_card",
        idNumber: idNumberFor("2022-03-03", "male"),
        relation: "child",
      },
    });
    const forChild = await api("POST", "/v1/contracts", {
      token: a.token,
      body: applyBody(child.body.residentId, teamId, ["p_child"]),
    });
    expect(forChild.status).toBe(201);
    const childContracts = await eventually(
      () => api("GET", `/v1/residents/${child.body.residentId}/contracts`, { token: a.token }),
      (r) => r.body.items.length > 0,
    );
    expect(childContracts.body.items).toHaveLength(1);
    expect(
      (await api("GET", `/v1/residents/${child.body.residentId}/contracts`, { token: b.token })).status,
    ).toBe(403);
    expect((await api("GET", `/v1/contracts/${forChild.body.contractId}`, { token: b.token })).status).toBe(
      404,
    );
  });

  it("does not let a doctor approve the contract of their own family", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const profile = await api("PUT", "/v1/me/profile", {
      token: doctor,
      body: {
        name: "测试医生",
        idType: "resident_id_card",
        idNumber: idNumberFor("1985-08-08", "male"),
        phone: "13900001111",
        neighbourhoodId: "n_demo_1",
        address: "和平里一区 1 号",
        consents: { privacyPolicyVersion: "2026-01", healthData: true },
      },
    });
    const applied = await api("POST", "/v1/contracts", {
      token: doctor,
      body: applyBody(profile.body.residentId, teamId),
    });
    expect(applied.status).toBe(201);
    const self = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
    expect(self.status).toBe(403);
  });
});

describe("capacity under concurrency (DynamoDB Local)", () => {
  it("lets exactly 10 of 50 households in when 10 places are left, and the counter matches", async () => {
    const { teamId, manager } = await newTeamWithDoctor(10);
    const residents = await Promise.all(Array.from({ length: 50 }, () => newResident()));
    const results = await Promise.all(
      residents.map((r) =>
        api("POST", "/v1/contracts", { token: r.token, body: applyBody(r.residentId, teamId) }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === "TEAM_FULL")).toBe(
      true,
    );
    const after = await team(teamId, manager);
    expect(after.signedHouseholds).toBe(10);
    expect(after.remainingHouseholds).toBe(0);
    const listed = await api("GET", `/v1/teams/${teamId}/contracts?status=pending&limit=100`, {
      token: manager,
    });
    expect(listed.body.items).toHaveLength(10);
  });

  it("accepts exactly one of 20 parallel applications by one resident", async () => {
    const { teamId } = await newTeamWithDoctor();
    const resident = await newResident();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api("POST", "/v1/contracts", { token: resident.token, body: applyBody(resident.residentId, teamId) }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === "ALREADY_SIGNED")).toHaveLength(
      19,
    );
  });

  it("counts a household once however many of its members sign, and releases it with the last", async () => {
    const { teamId, doctor, manager } = await newTeamWithDoctor(2);
    const parent = await newResident();
    const child = await api("POST", "/v1/me/family", {
      token: parent.token,
      body: {
        name: "小红",
        idType: "resident_id_card",
        idNumber: idNumberFor("2021-09-09"),
        relation: "child",
      },
    });
    const [a, b] = await Promise.all([
      api("POST", "/v1/contracts", { token: parent.token, body: applyBody(parent.residentId, teamId) }),
      api("POST", "/v1/contracts", { token: parent.token, body: applyBody(child.body.residentId, teamId) }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    let t = await team(teamId, manager);
    expect(t.signedHouseholds).toBe(1);
    expect(t.signedPersons).toBe(2);
    await api("POST", `/v1/contracts/${a.body.contractId}/reject`, {
      token: doctor,
      body: { reason: "信息不全" },
    });
    t = await team(teamId, manager);
    expect(t.signedHouseholds).toBe(1);
    await api("POST", `/v1/contracts/${b.body.contractId}/withdraw`, { token: parent.token });
    t = await team(teamId, manager);
    expect(t.signedHouseholds).toBe(0);
    expect(t.signedPersons).toBe(0);
  });

  it("gives a rejected application's place to the next household", async () => {
    const { teamId, doctor } = await newTeamWithDoctor(1);
    const first = await newResident();
    const second = await newResident();
    const a = await api("POST", "/v1/contracts", {
      token: first.token,
      body: applyBody(first.residentId, teamId),
    });
    const full = await api("POST", "/v1/contracts", {
      token: second.token,
      body: applyBody(second.residentId, teamId),
    });
    expect(full.body.error.code).toBe("TEAM_FULL");
    const rejected = await api("POST", `/v1/contracts/${a.body.contractId}/reject`, {
      token: doctor,
      body: { reason: "不在服务范围" },
    });
    expect(rejected.body).toMatchObject({ status: "rejected", rejectReason: "不在服务范围" });
    const b = await api("POST", "/v1/contracts", {
      token: second.token,
      body: applyBody(second.residentId, teamId),
    });
    expect(b.status).toBe(201);
    // the rejected resident may apply again elsewhere
    const other = await newTeamWithDoctor();
    expect(
      (
        await api("POST", "/v1/contracts", {
          token: first.token,
          body: applyBody(first.residentId, other.teamId),
        })
      ).status,
    ).toBe(201);
  });
});

describe("termination", () => {
  it("needs both sides: the resident asks, the team confirms, and the place is released", async () => {
    const { teamId, doctor, manager } = await newTeamWithDoctor(1);
    const resident = await signedResident(teamId, doctor);
    const id = resident.contract.contractId;
    const asked = await api("POST", `/v1/contracts/${id}/termination`, {
      token: resident.token,
      body: { reason: "moved_out", note: "搬到外区" },
    });
    expect(asked.body.status).toBe("terminating");
    expect(
      (await api("POST", `/v1/contracts/${id}/termination/confirm`, { token: resident.token })).status,
    ).toBe(403);
    const bad = await api("POST", `/v1/contracts/${id}/termination`, {
      token: doctor,
      body: { reason: "bored" },
    });
    expect(bad.status).toBe(400);
    const done = await api("POST", `/v1/contracts/${id}/termination/confirm`, { token: doctor });
    expect(done.body.status).toBe("terminated");
    expect((await team(teamId, manager)).signedHouseholds).toBe(0);
    const events = await api("GET", `/v1/contracts/${id}/events`, { token: resident.token });
    expect(events.body.items.map((e: { event: string }) => e.event)).toEqual([
      "applied",
      "approved",
      "termination_requested",
      "terminated",
    ]);
    expect(events.body.items[2]).toMatchObject({ byRole: "resident", reason: "moved_out" });
  });
});

/** The expiry index's entries of a team for a date (what the renewal pages read). */
async function expiryEntries(endDate: string, teamId: string) {
  const { dynamoEndpoint, tableName } = stack();
  const out = await localClient(dynamoEndpoint).send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
      ExpressionAttributeValues: { ":pk": { S: `EXPIRY#${endDate}` }, ":sk": { S: `TEAM#${teamId}#` } },
    }),
  );
  return out.Items ?? [];
}

/** How many of a team's contracts are in a status (the team's contract index, all pages). */
async function contractsInStatus(teamId: string, status: string) {
  const { dynamoEndpoint, tableName } = stack();
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await localClient(dynamoEndpoint).send(
      new QueryCommand({
        TableName: tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :s)",
        ExpressionAttributeValues: { ":pk": { S: `TEAM#${teamId}#CONTRACTS` }, ":s": { S: `${status}#` } },
        Select: "COUNT",
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

describe("renewal, reminders and switching (scheduled job)", () => {
  it("renews at expiry into a new term with no gap, and ends a contract with a pending termination", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const keep = await signedResident(teamId, doctor);
    const leave = await signedResident(teamId, doctor);
    await api("POST", `/v1/contracts/${leave.contract.contractId}/termination`, {
      token: doctor,
      body: { reason: "other" },
    });
    const end = keep.contract.endDate as string;
    const statusOf = async (r: typeof keep) =>
      (await api("GET", `/v1/contracts/${r.contract.contractId}`, { token: r.token })).body.status;
    // The runs only plan (page messages); runJob waits until the pages are done.
    await runJob("contractRenewals", `${end}T12:00:00+08:00`, { teamId });
    expect([await statusOf(keep), await statusOf(leave)]).toEqual(["active", "terminating"]);
    await runJob("contractRenewals", `${addDays(end, 1)}T00:10:00+08:00`, { teamId });
    expect([await statusOf(keep), await statusOf(leave)]).toEqual(["renewed", "terminated"]);
    // handled contracts left the expiry index: the next days' catch-up has nothing of theirs to read
    expect(await expiryEntries(end, teamId)).toHaveLength(0);
    await runJob("contractRenewals", `${addDays(end, 2)}T00:10:00+08:00`, { teamId });

    const list = await api("GET", `/v1/residents/${keep.residentId}/contracts`, { token: keep.token });
    expect(list.body.items).toHaveLength(2);
    const [next, old] = list.body.items;
    expect(old).toMatchObject({ status: "renewed", contractId: keep.contract.contractId });
    expect(next).toMatchObject({
      status: "active",
      term: 2,
      startDate: addDays(end, 1),
      previousContractId: old.contractId,
    });
    expect(next.endDate).toBe(contractEndDate(addDays(end, 1)));
    const ended = await api("GET", `/v1/contracts/${leave.contract.contractId}`, { token: leave.token });
    expect(ended.body.status).toBe("terminated");
  });

  it("reminds 30, 14 and 3 days before expiry, once each, in the resident's inbox", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const end = resident.contract.endDate as string;
    const { dynamoEndpoint, tableName } = stack();
    const reminders = async () =>
      (
        await localClient(dynamoEndpoint).send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": { S: `INBOX#${resident.residentId}` } },
          }),
        )
      ).Items?.filter((m) => m.kind?.S === "renewal_reminder").length ?? 0;
    for (const [i, days] of [30, 14, 3].entries()) {
      await runJob("contractRenewals", `${addDays(end, -days)}T00:10:00+08:00`, { teamId });
      expect(await reminders()).toBe(i + 1);
      await runJob("contractRenewals", `${addDays(end, -days)}T08:00:00+08:00`, { teamId });
      expect(await reminders()).toBe(i + 1);
    }
    const inbox = await localClient(dynamoEndpoint).send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: `INBOX#${resident.residentId}` } },
      }),
    );
    // The approval is in the inbox too (contract_result); the reminders are the renewal_reminder ones.
    expect(inbox.Items?.filter((i) => i.kind?.S === "renewal_reminder").map((i) => i.title?.S)).toEqual([
      "家庭医生签约将于 30 天后到期",
      "家庭医生签约将于 14 天后到期",
      "家庭医生签约将于 3 天后到期",
    ]);
  });

  it("switches team at expiry: the old contract ends the day before the new one starts", async () => {
    const from = await newTeamWithDoctor();
    const to = await newTeamWithDoctor();
    const resident = await signedResident(from.teamId, from.doctor);
    const old = resident.contract;
    const sw = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: { ...applyBody(resident.residentId, to.teamId), switchFromContractId: old.contractId },
    });
    expect(sw.status).toBe(201);
    const approved = await api("POST", `/v1/contracts/${sw.body.contractId}/approve`, { token: to.doctor });
    expect(approved.body).toMatchObject({ status: "scheduled", startDate: addDays(old.endDate, 1) });
    expect((await team(to.teamId, to.manager)).signedHouseholds).toBe(1);
    await runJob("contractRenewals", `${addDays(old.endDate, 1)}T00:10:00+08:00`, { teamId: from.teamId });
    const list = await eventually(
      () => api("GET", `/v1/residents/${resident.residentId}/contracts`, { token: resident.token }),
      (r) => r.body.items.length === 2,
    );
    const byId = Object.fromEntries(list.body.items.map((c: { contractId: string }) => [c.contractId, c]));
    expect(byId[old.contractId].status).toBe("switched");
    expect(byId[sw.body.contractId].status).toBe("active");
    expect(byId[sw.body.contractId].startDate).toBe(addDays(byId[old.contractId].endDate, 1));
    expect((await team(from.teamId, from.manager)).signedHouseholds).toBe(0);
    expect((await team(to.teamId, to.manager)).signedHouseholds).toBe(1);
  });
});

describe("renewals at any size", () => {
  it("renews a day of 250 expiring contracts in bounded pages within one run, each once", async () => {
    // Prepare: contracts written straight to the table (with their lock and expiry entry), all
    // ending on one day; a page reads 100, so the day takes three pages.
    const { dynamoEndpoint, tableName } = stack();
    const ddb = localClient(dynamoEndpoint);
    const run = Date.now().toString(36);
    const teamId = `t_ren_${run}`;
    const centreId = `c_ren_${run}`;
    const endDate = "2041-03-31";
    const count = 250;
    const items = Array.from({ length: count }, (_, i) => {
      const contractId = `k_ren_${run}_${String(i).padStart(4, "0")}`;
      const residentId = `r_ren_${run}_${i}`;
      const appliedAt = "2040-03-20T00:00:00.000Z";
      return [
        {
          pk: `CONTRACT#${contractId}`,
          sk: "CONTRACT",
          gsi1pk: `TEAM#${teamId}#CONTRACTS`,
          gsi1sk: `active#${appliedAt}#${contractId}`,
          gsi2pk: `RES#${residentId}#CONTRACTS`,
          gsi2sk: `${appliedAt}#${contractId}`,
          type: "Contract",
          contractId,
          residentId,
          householdId: `h_ren_${run}_${i}`,
          teamId,
          teamName: "续约测试团队",
          centreId,
          status: "active",
          term: 1,
          packages: [],
          agreementVersion: "2026-01",
          signature: { confirmedAt: appliedAt, byUserId: "u_test" },
          appliedAt,
          startDate: "2040-04-01",
          endDate,
          groupsAtSigning: [],
          delivered: {},
        },
        { pk: `RES#${residentId}`, sk: "SIGNED", type: "SignedLock", contractId, teamId },
        { pk: `EXPIRY#${endDate}`, sk: `TEAM#${teamId}#${contractId}`, type: "ContractExpiry", contractId },
      ];
    }).flat();
    for (let i = 0; i < items.length; i += 25) {
      await ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [tableName]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item) } })),
          },
        }),
      );
    }

    // Act: one scheduled run (it plans; the pages run on the reminders queue)
    const planned = await runJob("contractRenewals", `${addDays(endDate, 1)}T00:10:00+08:00`, { teamId });

    // Assess
    expect(planned.planned).toBe(10);
    expect(planned.closingDays).toBe(7);
    expect(await contractsInStatus(teamId, "renewed")).toBe(count);
    expect(await contractsInStatus(teamId, "active")).toBe(count);
    expect(await expiryEntries(endDate, teamId)).toHaveLength(0);
    expect(await expiryEntries(contractEndDate(addDays(endDate, 1)), teamId)).toHaveLength(count);

    // Act: the next day's run (its catch-up covers this day again) and a replayed first page
    await runJob("contractRenewals", `${addDays(endDate, 2)}T00:10:00+08:00`, { teamId });
    await sendToQueue("jiayi-reminders", {
      kind: "expiry",
      chain: `replay-${run}`,
      page: 0,
      date: endDate,
      teamId,
      at: new Date(`${addDays(endDate, 1)}T00:10:00+08:00`).toISOString(),
    });
    await queueIdle("jiayi-reminders");

    // Assess: nothing renewed twice
    expect(await contractsInStatus(teamId, "renewed")).toBe(count);
    expect(await contractsInStatus(teamId, "active")).toBe(count);
  }, 120_000);
});

describe("fulfilment", () => {
  it("records services against the contract and shows progress per entitlement, once per idempotency key", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await newResident({ birthDate: "1950-01-01", declaredGroups: ["chronic"] });
    const applied = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, teamId, ["p_chronic"]),
    });
    const id = applied.body.contractId;
    const service = {
      type: "chronic_followup",
      deliveredAt: new Date().toISOString(),
      place: "社区卫生服务中心 2 诊室",
    };
    expect((await api("POST", `/v1/contracts/${id}/services`, { token: doctor, body: service })).status).toBe(
      409,
    );
    await api("POST", `/v1/contracts/${id}/approve`, { token: doctor });
    const first = await api("POST", `/v1/contracts/${id}/services`, {
      token: doctor,
      body: service,
      headers: { "idempotency-key": `k-${id}` },
    });
    expect(first.status).toBe(201);
    const retry = await api("POST", `/v1/contracts/${id}/services`, {
      token: doctor,
      body: service,
      headers: { "idempotency-key": `k-${id}` },
    });
    expect(retry.body.duplicate).toBe(true);
    await api("POST", `/v1/contracts/${id}/services`, {
      token: doctor,
      body: { ...service, notes: "血压 135/85" },
    });
    const contract = await api("GET", `/v1/contracts/${id}`, { token: resident.token });
    const followups = contract.body.entitlements.find((e: { type: string }) => e.type === "chronic_followup");
    expect(`${followups.name} ${followups.delivered}/${followups.entitled}`).toBe("慢病随访 2/4");
    const services = await api("GET", `/v1/contracts/${id}/services`, { token: resident.token });
    expect(services.body.items).toHaveLength(2);
    expect(services.body.items[0].staffName).toBe("测试医生");
    expect(
      (await api("POST", `/v1/contracts/${id}/services`, { token: resident.token, body: service })).status,
    ).toBe(403);
    const future = await api("POST", `/v1/contracts/${id}/services`, {
      token: doctor,
      body: { ...service, deliveredAt: "2099-01-01T00:00:00+08:00" },
    });
    expect(future.status).toBe(400);
  });
});

describe("erasure", () => {
  it("ends the contract (account_erased), frees the place, cancels open visits and leaves no name", async () => {
    const { teamId, doctor, manager } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const [slot] = await publish(teamId, doctor);
    const booked = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: { slotId: slot!.slotId, residentId: resident.residentId },
    });
    expect(booked.status).toBe(201);
    expect(await slotCounter(slot!.slotId)).toBe(1);
    expect((await api("DELETE", "/v1/me", { token: resident.token })).body.erasedResidents).toBe(1);
    const seen = await api("GET", `/v1/contracts/${resident.contract.contractId}`, { token: doctor });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: "terminated", endReason: "account_erased", resident: null });
    expect(await teamCounts(teamId)).toEqual({ households: 0, persons: 0 });
    expect(await signedLock(resident.residentId)).toBeUndefined();
    // The visit is cancelled and its place is back; the team's day list names no one.
    expect(await slotCounter(slot!.slotId)).toBe(0);
    const day = await eventually(
      () => api("GET", `/v1/teams/${teamId}/appointments?date=${tomorrow()}`, { token: doctor }),
      (list) => list.body.items.length > 0,
    );
    expect(day.body.items).toHaveLength(1);
    expect(day.body.items[0]).toMatchObject({ status: "cancelled", residentName: "已注销居民" });
    expect(JSON.stringify(day.body)).not.toContain("测试居民");
    // The anonymous record still counts where statistics need it (the team list shows the freed place).
    expect((await team(teamId, manager)).signedHouseholds).toBe(0);
  });
});
