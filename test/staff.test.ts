import { GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { keys } from "../functions/data/keys.js";
import { localClient } from "../infra/local/dynamodb-local.js";
import { DEFAULT_SETTINGS } from "../shared/settings.js";
import { api, devLogin, newResident, stack, uniqueOpenid, wechatCode } from "./support/api.js";
import { applyBody, newTeamWithDoctor, team } from "./support/contracts.js";

/**
 * Staff lifecycle (issue 12, item 4): one centre per account, managers changing and removing
 * members with immediate effect on their tokens, revocable invitations, and the doctor limit
 * where contracts are approved (item 5).
 */

const ddb = () => localClient(stack().dynamoEndpoint);

interface Staff {
  openid: string;
  token: string;
  userId: string;
}

async function invite(manager: string, centreId: string, body: { role: string; teamId?: string }) {
  const inv = await api("POST", `/v1/centres/${centreId}/invitations`, { token: manager, body });
  if (inv.status !== 201) throw new Error(`invitation: ${inv.status} ${JSON.stringify(inv.body)}`);
  return inv.body.code as string;
}

/** A fresh account that claims an invitation of the manager's centre. */
async function staffOf(
  manager: string,
  body: { role: string; teamId?: string },
  name = "钱护士",
  centreId = "c_demo",
): Promise<Staff> {
  const code = await invite(manager, centreId, body);
  const openid = uniqueOpenid("staff");
  const claim = await api("POST", "/v1/invitations/claim", {
    token: await devLogin(openid),
    body: { code, name },
  });
  if (claim.status !== 200) throw new Error(`claim: ${claim.status} ${JSON.stringify(claim.body)}`);
  return { openid, token: claim.body.token, userId: claim.body.user.id };
}

/** A centre nobody else uses with a manager of its own (made so in the table, then logged in again). */
async function otherCentre() {
  const centreId = `c_st_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await ddb().send(
    new PutItemCommand({
      TableName: stack().tableName,
      Item: marshall({
        ...keys.centre(centreId),
        type: "Centre",
        centreId,
        name: "员工测试中心",
        neighbourhoods: [],
      }),
    }),
  );
  const openid = uniqueOpenid("st-mgr");
  const login = await api("POST", "/v1/auth/dev-login", { body: { openid } });
  await ddb().send(
    new UpdateItemCommand({
      TableName: stack().tableName,
      Key: marshall(keys.user(login.body.user.id)),
      UpdateExpression: "SET #roles = :roles, centreId = :c",
      ExpressionAttributeNames: { "#roles": "roles" },
      ExpressionAttributeValues: marshall({ ":roles": ["resident", "manager"], ":c": centreId }),
    }),
  );
  const manager = await devLogin(openid);
  const created = await api("POST", `/v1/centres/${centreId}/teams`, {
    token: manager,
    body: { name: "乙中心第一团队", capacityHouseholds: 10 },
  });
  if (created.status !== 201) throw new Error(`team: ${created.status} ${JSON.stringify(created.body)}`);
  return { centreId, manager, teamId: created.body.teamId as string };
}

const me = (token: string) => api("GET", "/v1/me", { token });

async function staffList(manager: string, centreId = "c_demo") {
  const items: { userId: string; name: string; roles: string[]; teamId: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = await api("GET", `/v1/centres/${centreId}/staff?limit=100${query}`, { token: manager });
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

type CardMember = { name: string; role: string; mayApprove: boolean };
/** A team card's members as residents see them (listTeams), in the demo centre or a centre of its own. */
async function membersOf(teamId: string, token: string, centreId = "c_demo"): Promise<CardMember[]> {
  if (centreId === "c_demo") return (await team(teamId, token)).members;
  const list = await api("GET", `/v1/centres/${centreId}/teams`, { token });
  return list.body.items.find((t: { teamId: string }) => t.teamId === teamId).members;
}

describe("claiming an invitation: one centre per account", () => {
  it("refuses a manager of one centre a nurse invitation of another with 409 OTHER_CENTRE, changing nothing", async () => {
    // Prepare: a manager of the demo centre, and centre B with a nurse invitation
    const demoManager = await devLogin("demo-manager");
    const managerA = await staffOf(demoManager, { role: "manager" }, "甲中心管理员");
    const b = await otherCentre();
    const code = await invite(b.manager, b.centreId, { role: "nurse", teamId: b.teamId });
    // Act
    const claim = await api("POST", "/v1/invitations/claim", { token: managerA.token, body: { code } });
    // Assess: refused, still manager of A and nothing of B, and the code is still open
    expect(claim.status).toBe(409);
    expect(claim.body.error.code).toBe("OTHER_CENTRE");
    expect(claim.body.error.message).toMatch(/中心/);
    const after = await me(managerA.token);
    expect(after.body.user).toMatchObject({ roles: ["resident", "manager"], centreId: "c_demo" });
    expect(after.body.user.teamId).toBeUndefined();
    expect((await api("GET", "/v1/centres/c_demo/staff", { token: managerA.token })).status).toBe(200);
    const open = await api("GET", `/v1/centres/${b.centreId}/invitations`, { token: b.manager });
    expect(open.body.items.map((i: { code: string }) => i.code)).toContain(code);
    expect((await membersOf(b.teamId, b.manager, b.centreId)).map((m) => m.name)).toEqual([]);
  });

  it("refuses a nurse of one centre too, but lets a plain resident take a role at another centre", async () => {
    const demoManager = await devLogin("demo-manager");
    const { teamId } = await newTeamWithDoctor();
    const nurseA = await staffOf(demoManager, { role: "nurse", teamId });
    const b = await otherCentre();
    const refused = await api("POST", "/v1/invitations/claim", {
      token: nurseA.token,
      body: { code: await invite(b.manager, b.centreId, { role: "nurse", teamId: b.teamId }) },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("OTHER_CENTRE");

    // A resident (no role anywhere) may claim centre B's invitation.
    const resident = await newResident();
    const claimed = await api("POST", "/v1/invitations/claim", {
      token: resident.token,
      body: {
        code: await invite(b.manager, b.centreId, { role: "nurse", teamId: b.teamId }),
        name: "乙护士",
      },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.user).toEqual({
      id: expect.any(String),
      roles: ["resident", "nurse"],
      teamId: b.teamId,
      centreId: b.centreId,
    });
    expect(await membersOf(b.teamId, b.manager, b.centreId)).toEqual([
      { name: "乙护士", role: "nurse", mayApprove: true },
    ]);
  });

  it("lets only one of two racing claims of one account for different teams through; the other sees it and gets 409", async () => {
    // Prepare
    const manager = await devLogin("demo-manager");
    const [t1, t2] = await Promise.all([newTeamWithDoctor(), newTeamWithDoctor()]);
    const codes = await Promise.all([
      invite(manager, "c_demo", { role: "nurse", teamId: t1.teamId }),
      invite(manager, "c_demo", { role: "nurse", teamId: t2.teamId }),
    ]);
    const token = await devLogin(uniqueOpenid("racer"));
    // Act
    const claims = await Promise.all(
      codes.map((code) => api("POST", "/v1/invitations/claim", { token, body: { code, name: "冯护士" } })),
    );
    // Assess: one winner; the account, and only the winner's card, show that team
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    const winner = claims.find((c) => c.status === 200);
    expect(claims.find((c) => c.status === 409)?.body.error.code).toBe("ALREADY_IN_TEAM");
    const teamId = winner?.body.user.teamId as string;
    const loser = teamId === t1.teamId ? t2.teamId : t1.teamId;
    expect((await me(token)).body.user).toMatchObject({ roles: ["resident", "nurse"], teamId });
    expect((await membersOf(teamId, manager)).filter((m) => m.name === "冯护士")).toHaveLength(1);
    expect((await membersOf(loser, manager)).map((m) => m.name)).not.toContain("冯护士");
  });

  it("adds roles within the same centre: a team nurse who becomes manager keeps the team and the nurse role", async () => {
    const demoManager = await devLogin("demo-manager");
    const { teamId } = await newTeamWithDoctor();
    const nurse = await staffOf(demoManager, { role: "nurse", teamId }, "孙护士");
    const code = await invite(demoManager, "c_demo", { role: "manager" });
    const claimed = await api("POST", "/v1/invitations/claim", { token: nurse.token, body: { code } });
    expect(claimed.status).toBe(200);
    expect(claimed.body.user).toMatchObject({
      roles: ["resident", "nurse", "manager"],
      teamId,
      centreId: "c_demo",
    });
    // one entry on the team card still: being manager adds no team role
    expect((await membersOf(teamId, demoManager)).filter((m) => m.name === "孙护士")).toHaveLength(1);
    // the token from before the claim stays valid with what it granted: claiming takes nothing away
    expect((await me(nurse.token)).status).toBe(200);
  });
});

describe("invitations: listing and revoking", () => {
  it("lists open invitations; a revoked code leaves the list and cannot be claimed (409 INVITATION_INVALID)", async () => {
    // Prepare
    const manager = await devLogin("demo-manager");
    const { teamId } = await newTeamWithDoctor();
    const code = await invite(manager, "c_demo", { role: "nurse", teamId });
    const listed = await api("GET", "/v1/centres/c_demo/invitations?limit=100", { token: manager });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual({ code, role: "nurse", teamId, expiresAt: expect.any(String) });
    // Act
    const revoked = await api("DELETE", `/v1/centres/c_demo/invitations/${code}`, { token: manager });
    // Assess
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ code, role: "nurse", teamId, revokedAt: expect.any(String) });
    const after = await api("GET", "/v1/centres/c_demo/invitations?limit=100", { token: manager });
    expect(after.body.items.map((i: { code: string }) => i.code)).not.toContain(code);
    const claim = await api("POST", "/v1/invitations/claim", {
      token: await devLogin(uniqueOpenid("late")),
      body: { code },
    });
    expect(claim.status).toBe(409);
    expect(claim.body.error.code).toBe("INVITATION_INVALID");
    expect((await membersOf(teamId, manager)).map((m) => m.role)).toEqual(["nurse", "doctor"]);
    // revoking again answers the same; a code already used cannot be revoked
    expect((await api("DELETE", `/v1/centres/c_demo/invitations/${code}`, { token: manager })).status).toBe(
      200,
    );
    const used = await staffOf(manager, { role: "nurse", teamId });
    const usedCode = await invite(manager, "c_demo", { role: "public_health", teamId });
    await api("POST", "/v1/invitations/claim", { token: used.token, body: { code: usedCode } });
    const late = await api("DELETE", `/v1/centres/c_demo/invitations/${usedCode}`, { token: manager });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("INVITATION_INVALID");
  });

  it("keeps each centre's invitations to its own manager", async () => {
    const demoManager = await devLogin("demo-manager");
    const b = await otherCentre();
    const code = await invite(demoManager, "c_demo", { role: "manager" });
    expect((await api("GET", "/v1/centres/c_demo/invitations", { token: b.manager })).status).toBe(403);
    expect((await api("DELETE", `/v1/centres/c_demo/invitations/${code}`, { token: b.manager })).status).toBe(
      403,
    );
    expect(
      (await api("DELETE", `/v1/centres/${b.centreId}/invitations/${code}`, { token: b.manager })).status,
    ).toBe(404);
    const listed = await api("GET", "/v1/centres/c_demo/invitations?limit=100", { token: demoManager });
    expect(listed.body.items.map((i: { code: string }) => i.code)).toContain(code);
  });
});

describe("staff: changing and removing members", () => {
  it("removes a nurse: their old token is refused on the next request, their approvals stay, the team card follows", async () => {
    // Prepare: a team with a nurse who approved a contract
    const { teamId, manager } = await newTeamWithDoctor();
    const nurse = await staffOf(manager, { role: "nurse", teamId }, "周护士");
    expect((await api("GET", `/v1/teams/${teamId}/contracts`, { token: nurse.token })).status).toBe(200);
    const resident = await newResident();
    const applied = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, teamId),
    });
    const contractId = applied.body.contractId as string;
    expect((await api("POST", `/v1/contracts/${contractId}/approve`, { token: nurse.token })).status).toBe(
      200,
    );
    expect((await staffList(manager)).map((s) => s.userId)).toContain(nurse.userId);
    // Act
    const removed = await api("DELETE", `/v1/centres/c_demo/staff/${nurse.userId}`, { token: manager });
    // Assess
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ userId: nurse.userId, removed: true });
    const old = await api("GET", `/v1/teams/${teamId}/contracts`, { token: nurse.token });
    expect(old.status).toBe(401);
    expect((await me(nurse.token)).status).toBe(401);
    // logging in again gives a resident account with no team, which the team's lists refuse
    const again = await devLogin(nurse.openid);
    expect((await me(again)).body.user).toEqual({ id: nurse.userId, roles: ["resident"] });
    expect((await api("GET", `/v1/teams/${teamId}/contracts`, { token: again })).status).toBe(403);
    // WeChat login issues tokens at the account's current version too
    const wechat = await api("POST", "/v1/auth/wechat-login", {
      body: { code: await wechatCode(nurse.openid) },
    });
    expect((await me(wechat.body.token)).status).toBe(200);
    expect((await membersOf(teamId, manager)).map((m) => m.name)).not.toContain("周护士");
    expect((await staffList(manager)).map((s) => s.userId)).not.toContain(nurse.userId);
    // what they signed stays theirs
    const stored = await ddb().send(
      new GetItemCommand({ TableName: stack().tableName, Key: marshall(keys.contract(contractId)) }),
    );
    expect(unmarshall(stored.Item ?? {}).approval?.byUserId).toBe(nurse.userId);
    // removing them again: no longer staff of the centre
    expect((await api("DELETE", `/v1/centres/c_demo/staff/${nurse.userId}`, { token: manager })).status).toBe(
      404,
    );
  });

  it("takes an erased staff account off its team card, so the card names no one who may not approve", async () => {
    const { teamId, manager } = await newTeamWithDoctor();
    const nurse = await staffOf(manager, { role: "nurse", teamId }, "褚护士");
    expect((await membersOf(teamId, manager)).map((m) => m.name)).toContain("褚护士");
    expect((await api("DELETE", "/v1/me", { token: nurse.token })).status).toBe(200);
    expect((await membersOf(teamId, manager)).map((m) => m.name)).not.toContain("褚护士");
    expect((await staffList(manager)).map((s) => s.userId)).not.toContain(nurse.userId);
  });

  it("moves a member to another team: the team cards, the staff list and their next session follow", async () => {
    // Prepare
    const first = await newTeamWithDoctor();
    const second = await newTeamWithDoctor();
    const manager = first.manager;
    const nurse = await staffOf(manager, { role: "nurse", teamId: first.teamId }, "吴护士");
    expect(await membersOf(first.teamId, manager)).toContainEqual({
      name: "吴护士",
      role: "nurse",
      mayApprove: true,
    });
    // Act
    const moved = await api("PUT", `/v1/centres/c_demo/staff/${nurse.userId}`, {
      token: manager,
      body: { roles: ["nurse"], teamId: second.teamId },
    });
    // Assess
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({
      userId: nurse.userId,
      name: "吴护士",
      roles: ["nurse"],
      teamId: second.teamId,
    });
    expect((await membersOf(first.teamId, manager)).map((m) => m.name)).not.toContain("吴护士");
    expect(await membersOf(second.teamId, manager)).toContainEqual({
      name: "吴护士",
      role: "nurse",
      mayApprove: true,
    });
    expect((await staffList(manager)).find((s) => s.userId === nurse.userId)).toEqual(moved.body);
    // the old token (team 1) is refused; a new login is bound to team 2 only
    expect((await api("GET", `/v1/teams/${first.teamId}/contracts`, { token: nurse.token })).status).toBe(
      401,
    );
    const again = await devLogin(nurse.openid);
    expect((await me(again)).body.user).toMatchObject({
      roles: ["resident", "nurse"],
      teamId: second.teamId,
    });
    expect((await api("GET", `/v1/teams/${second.teamId}/contracts`, { token: again })).status).toBe(200);
    expect((await api("GET", `/v1/teams/${first.teamId}/contracts`, { token: again })).status).toBe(403);
  });

  it("changes roles within the team, and refuses team roles without a team and a manager demoting themselves", async () => {
    const { teamId, manager } = await newTeamWithDoctor();
    const nurse = await staffOf(manager, { role: "nurse", teamId }, "郑护士");
    const both = await api("PUT", `/v1/centres/c_demo/staff/${nurse.userId}`, {
      token: manager,
      body: { roles: ["nurse", "public_health"] },
    });
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ roles: ["nurse", "public_health"], teamId });
    const card = (await membersOf(teamId, manager)).filter((m) => m.name === "郑护士");
    expect(card.map((m) => m.role).sort()).toEqual(["nurse", "public_health"]);

    const managerOnly = await api("PUT", `/v1/centres/c_demo/staff/${nurse.userId}`, {
      token: manager,
      body: { roles: ["manager"], teamId },
    });
    expect(managerOnly.status).toBe(400);
    expect(managerOnly.body.error.details[0].path).toBe("teamId");

    const self = await staffOf(manager, { role: "manager" }, "副主任");
    const demote = await api("PUT", `/v1/centres/c_demo/staff/${self.userId}`, {
      token: self.token,
      body: { roles: ["doctor"], teamId },
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe("OWN_MANAGER_ROLE");
    const leave = await api("DELETE", `/v1/centres/c_demo/staff/${self.userId}`, { token: self.token });
    expect(leave.status).toBe(409);
    // someone who is not staff of the centre is not the manager's to change
    const stranger = await newResident();
    const meOfStranger = await me(stranger.token);
    expect(
      (
        await api("PUT", `/v1/centres/c_demo/staff/${meOfStranger.body.user.id}`, {
          token: manager,
          body: { roles: ["nurse"], teamId },
        })
      ).status,
    ).toBe(404);
  });

  it("lists the centre's staff, the seeded demo accounts with their team card names included", async () => {
    const staff = await staffList(await devLogin("demo-manager"));
    expect(staff).toContainEqual({
      userId: "u_demo_doctor_1",
      name: "王建国",
      roles: ["doctor"],
      teamId: "t_demo_1",
    });
    expect(staff).toContainEqual({
      userId: "u_demo_nurse_1",
      name: "李秀梅",
      roles: ["nurse"],
      teamId: "t_demo_1",
    });
    expect(staff.find((s) => s.userId === "u_demo_manager")).toMatchObject({
      roles: ["manager"],
      teamId: null,
    });
    expect(new Set(staff.map((s) => s.userId)).size).toBe(staff.length);
  });

  it("shows on each team card who may approve: staff accounts of the team, not names without an account", async () => {
    const { teamId, manager } = await newTeamWithDoctor();
    const members = await membersOf(teamId, manager);
    expect(members).toContainEqual({ name: "测试护士", role: "nurse", mayApprove: false });
    expect(members).toContainEqual({ name: "测试医生", role: "doctor", mayApprove: true });
  });

  it("answers 403 to everyone but the centre's manager on each staff operation", async () => {
    const { teamId, doctor, manager } = await newTeamWithDoctor();
    const nurse = await staffOf(manager, { role: "nurse", teamId });
    const code = await invite(manager, "c_demo", { role: "nurse", teamId });
    const resident = (await newResident()).token;
    const b = await otherCentre();
    for (const token of [doctor, nurse.token, resident, b.manager]) {
      const statuses = [
        (await api("GET", "/v1/centres/c_demo/invitations", { token })).status,
        (await api("DELETE", `/v1/centres/c_demo/invitations/${code}`, { token })).status,
        (await api("GET", "/v1/centres/c_demo/staff", { token })).status,
        (
          await api("PUT", `/v1/centres/c_demo/staff/${nurse.userId}`, {
            token,
            body: { roles: ["doctor"], teamId },
          })
        ).status,
        (await api("DELETE", `/v1/centres/c_demo/staff/${nurse.userId}`, { token })).status,
      ];
      expect(statuses).toEqual([403, 403, 403, 403, 403]);
    }
    // nothing changed: the nurse still works, the code still claims
    expect((await me(nurse.token)).body.user).toMatchObject({ roles: ["resident", "nurse"], teamId });
    const claim = await api("POST", "/v1/invitations/claim", {
      token: await devLogin(uniqueOpenid("after-403")),
      body: { code },
    });
    expect(claim.status).toBe(200);
  });
});

describe("the doctor limit where contracts are approved", () => {
  it(`approves up to ${DEFAULT_SETTINGS.doctorMaxResidents} persons per GP and refuses the next with 409 DOCTOR_FULL`, async () => {
    // Prepare: a team whose person counter stands one below the limit. Writing the counter
    // straight in the table marks the team a fixture, so the suite's invariant check skips it.
    const { teamId, doctor } = await newTeamWithDoctor();
    await ddb().send(
      new UpdateItemCommand({
        TableName: stack().tableName,
        Key: marshall(keys.team(teamId)),
        UpdateExpression: "SET signedPersons = :n, fixture = :t",
        ExpressionAttributeValues: marshall({ ":n": DEFAULT_SETTINGS.doctorMaxResidents - 1, ":t": true }),
      }),
    );
    const apply = async () => {
      const resident = await newResident();
      const applied = await api("POST", "/v1/contracts", {
        token: resident.token,
        body: applyBody(resident.residentId, teamId),
      });
      expect(applied.status).toBe(201);
      return applied.body.contractId as string;
    };
    // Act: the application that reaches the limit, then one past it
    const last = await apply();
    const lastApproved = await api("POST", `/v1/contracts/${last}/approve`, { token: doctor });
    const over = await apply();
    const overApproved = await api("POST", `/v1/contracts/${over}/approve`, { token: doctor });
    // Assess
    expect(lastApproved.status).toBe(200);
    expect(overApproved.status).toBe(409);
    expect(overApproved.body.error.code).toBe("DOCTOR_FULL");
    expect(overApproved.body.error.message).toContain("2000");
    const still = await api("GET", `/v1/contracts/${over}`, { token: doctor });
    expect(still.body.status).toBe("pending");
  });
});
