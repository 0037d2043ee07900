import { describe, expect, it } from "vitest";
import { api, devLogin, newResident } from "./support/api.js";
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

  it("serves the team's service line for the resident's call button", async () => {
    const token = await devLogin("demo-manager");
    const t1 = await team("t_demo_1", token);
    expect(t1.servicePhone).toMatch(/^0\d{2,3}-\d{7,8}$/);
  });
});
