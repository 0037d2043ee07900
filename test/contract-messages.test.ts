import { describe, expect, it } from "vitest";
import { api, devLogin, newResident, stack } from "./support/api.js";
import { applyBody, newTeamWithDoctor, signedResident, team } from "./support/contracts.js";

interface InboxEntry {
  kind: string;
  title: string;
  body: string;
  noticeId: string | null;
  residentId: string;
}

const contractMessages = async (token: string) => {
  const inbox = await api<{ items: InboxEntry[] }>("GET", "/v1/me/notices", { token });
  expect(inbox.status).toBe(200);
  return inbox.body.items.filter((m) => m.kind === "contract_result");
};

describe("contract results in the inbox (issue 14, item 5)", () => {
  it("tells the resident once that the application was approved, with the term", async () => {
    // Prepare
    const { teamId, doctor } = await newTeamWithDoctor();
    // Act
    const resident = await signedResident(teamId, doctor);
    const again = await api("POST", `/v1/contracts/${resident.contract.contractId}/approve`, {
      token: doctor,
    });
    // Assess
    expect(again.status).toBe(409);
    const messages = await contractMessages(resident.token);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ title: "签约申请已通过", noticeId: null });
    expect(messages[0]?.residentId).toBe(resident.residentId);
    expect(messages[0]?.body).toContain(resident.contract.startDate);
    expect(messages[0]?.body).toContain(resident.contract.endDate);
  });

  it("tells the resident about a rejection with its reason, and about a termination", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const rejected = await newResident();
    const applied = await api("POST", "/v1/contracts", {
      token: rejected.token,
      body: applyBody(rejected.residentId, teamId),
    });
    await api("POST", `/v1/contracts/${applied.body.contractId}/reject`, {
      token: doctor,
      body: { reason: "不在服务范围" },
    });
    const refusal = await contractMessages(rejected.token);
    expect(refusal.map((m) => m.title)).toEqual(["签约申请未通过"]);
    expect(refusal[0]?.body).toContain("不在服务范围");

    const leaving = await signedResident(teamId, doctor);
    const id = leaving.contract.contractId;
    await api("POST", `/v1/contracts/${id}/termination`, {
      token: leaving.token,
      body: { reason: "moved_out" },
    });
    expect((await api("POST", `/v1/contracts/${id}/termination/confirm`, { token: doctor })).status).toBe(
      200,
    );
    const titles = (await contractMessages(leaving.token)).map((m) => m.title);
    expect(titles).toEqual(["签约已解除", "签约申请已通过"]);
  });

  it("pushes the result once as a WeChat subscribe message where the family granted it, never without", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const granted = await newResident();
    const grant = await api("POST", "/v1/me/subscriptions", {
      token: granted.token,
      body: { results: { "tmpl-contract-result": "accept" } },
    });
    expect(grant.body.grants).toEqual([{ templateId: "tmpl-contract-result", remaining: 1 }]);
    await fetch(`${stack().wechatUrl}/__fake/subscriptions`, {
      method: "POST",
      body: JSON.stringify({ openid: granted.openid, templateId: "tmpl-contract-result" }),
    });
    const applied = await api("POST", "/v1/contracts", {
      token: granted.token,
      body: applyBody(granted.residentId, teamId),
    });
    const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
    expect(approved.status).toBe(200);
    // A second approval is refused and pushes nothing more.
    await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });

    const without = await newResident();
    const other = await api("POST", "/v1/contracts", {
      token: without.token,
      body: applyBody(without.residentId, teamId),
    });
    await api("POST", `/v1/contracts/${other.body.contractId}/reject`, {
      token: doctor,
      body: { reason: "不在服务范围" },
    });

    const sent = (await (await fetch(`${stack().wechatUrl}/__fake/sent`)).json()) as {
      messages: {
        touser: string;
        template_id: string;
        page?: string;
        data: Record<string, { value: string }>;
      }[];
    };
    const mine = sent.messages.filter((m) => m.touser === granted.openid);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ template_id: "tmpl-contract-result", page: "pages/contracts/index" });
    expect(mine[0]?.data.thing1?.value).toBe("签约申请已通过");
    expect(sent.messages.filter((m) => m.touser === without.openid)).toEqual([]);
    // The grant is used up.
    const after = await api("POST", "/v1/me/subscriptions", { token: granted.token, body: { results: {} } });
    expect(after.body.grants).toEqual([{ templateId: "tmpl-contract-result", remaining: 0 }]);
  });

  it("serves the team's service line for the resident's call button", async () => {
    const token = await devLogin("demo-manager");
    const t1 = await team("t_demo_1", token);
    expect(t1.servicePhone).toMatch(/^0\d{2,3}-\d{7,8}$/);
  });
});
