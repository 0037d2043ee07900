import { PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { keys } from "../../functions/data/keys.js";
import { localClient } from "../../infra/local/dynamodb-local.js";
import { api, devLogin, newResident, stack, uniqueOpenid } from "./api.js";

const ddb = () => localClient(stack().dynamoEndpoint);

/** Gives a fresh account a role at a centre straight in the table, then logs it in again. */
export async function accountWithRole(role: "manager" | "district", scope: Record<string, string>) {
  const openid = uniqueOpenid(`${role}`);
  const login = await api("POST", "/v1/auth/dev-login", { body: { openid } });
  const names: Record<string, string> = { "#roles": "roles" };
  const values: Record<string, unknown> = { ":roles": ["resident", role] };
  const sets = ["#roles = :roles"];
  for (const [field, value] of Object.entries(scope)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  await ddb().send(
    new UpdateItemCommand({
      TableName: stack().tableName,
      Key: marshall(keys.user(login.body.user.id)),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: marshall(values),
    }),
  );
  return { token: await devLogin(openid), userId: login.body.user.id as string };
}

/**
 * A centre no other test uses, with its own manager and one team whose
 * doctor joined through a real invitation: settings changed here reach no other test.
 */
export async function isolatedCentre(label = "测试") {
  const centreId = `c_iso_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await ddb().send(
    new PutItemCommand({
      TableName: stack().tableName,
      Item: marshall({
        ...keys.centre(centreId),
        // On the centre list, as every real centre is (the scheduled jobs walk it); sorts after c_demo.
        ...keys.centresIndex(),
        gsi1sk: centreId,
        type: "Centre",
        centreId,
        name: `${label}社区卫生服务中心`,
        neighbourhoods: [],
      }),
    }),
  );
  const manager = await accountWithRole("manager", { centreId });
  const created = await api("POST", `/v1/centres/${centreId}/teams`, {
    token: manager.token,
    body: { name: `${label}第一团队`, members: [{ name: "测试护士", role: "nurse" }] },
  });
  if (created.status !== 201) throw new Error(`team: ${created.status} ${JSON.stringify(created.body)}`);
  const teamId = created.body.teamId as string;
  const invitation = await api("POST", `/v1/centres/${centreId}/invitations`, {
    token: manager.token,
    body: { role: "doctor", teamId },
  });
  const claimed = await api("POST", "/v1/invitations/claim", {
    token: await devLogin(uniqueOpenid("iso-doctor")),
    body: { code: invitation.body.code, name: "测试医生" },
  });
  if (claimed.status !== 200) throw new Error(`claim: ${JSON.stringify(claimed.body)}`);
  return {
    centreId,
    manager: manager.token,
    managerId: manager.userId,
    teamId,
    doctor: claimed.body.token as string,
    doctorId: claimed.body.user.id as string,
  };
}

/** Another team of the centre, with its own doctor (through a real invitation). */
export async function addTeam(c: { centreId: string; manager: string }, name: string) {
  const created = await api("POST", `/v1/centres/${c.centreId}/teams`, {
    token: c.manager,
    body: { name, members: [{ name: "测试护士", role: "nurse" }] },
  });
  if (created.status !== 201) throw new Error(`team: ${created.status} ${JSON.stringify(created.body)}`);
  const invitation = await api("POST", `/v1/centres/${c.centreId}/invitations`, {
    token: c.manager,
    body: { role: "doctor", teamId: created.body.teamId },
  });
  const claimed = await api("POST", "/v1/invitations/claim", {
    token: await devLogin(uniqueOpenid("iso-doctor")),
    body: { code: invitation.body.code, name: "测试医生" },
  });
  if (claimed.status !== 200) throw new Error(`claim: ${JSON.stringify(claimed.body)}`);
  return { teamId: created.body.teamId as string, doctor: claimed.body.token as string };
}

/**
 * A resident of the demo centre's area signed with a team of another centre (the centre allows
 * cross-area signing: set crossAreaSigning first).
 */
export async function signedWith(team: { teamId: string; doctor: string }) {
  const resident = await newResident();
  const applied = await api("POST", "/v1/contracts", {
    token: resident.token,
    body: {
      residentId: resident.residentId,
      teamId: team.teamId,
      packageIds: [],
      agreementVersion: "2026-01",
      signature: { confirmed: true },
    },
  });
  if (applied.status !== 201) throw new Error(`apply: ${JSON.stringify(applied.body)}`);
  const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, {
    token: team.doctor,
  });
  if (approved.status !== 200) throw new Error(`approve: ${JSON.stringify(approved.body)}`);
  return { ...resident, contract: approved.body };
}
