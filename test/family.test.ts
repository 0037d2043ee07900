import { describe, expect, it } from "vitest";
import { api, idNumberFor, newResident, randomPhone } from "./support/api.js";
import { applyBody } from "./support/contracts.js";

const member = (idNumber: string) => ({
  name: "王秀兰",
  idType: "resident_id_card",
  idNumber,
  relation: "parent",
  consent: { confirmed: true },
});

async function withMother() {
  const rep = await newResident();
  const idNumber = idNumberFor("1946-03-08", "female");
  const added = await api("POST", "/v1/me/family", { token: rep.token, body: member(idNumber) });
  expect(added.status).toBe(201);
  return { rep, idNumber, motherId: added.body.residentId as string };
}

describe("family members: edit, remove, re-add (issue 14, item 6)", () => {
  it("says by name that the ID is already her family member, and that her own ID is her own", async () => {
    // Prepare
    const { rep, idNumber } = await withMother();
    // Act
    const again = await api("POST", "/v1/me/family", { token: rep.token, body: member(idNumber) });
    const self = await api("POST", "/v1/me/family", { token: rep.token, body: member(rep.idNumber) });
    const stranger = await newResident();
    const other = await api("POST", "/v1/me/family", { token: stranger.token, body: member(idNumber) });
    // Assess
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_FAMILY_MEMBER");
    expect(again.body.error.message).toContain("王秀兰");
    expect(self.body.error).toMatchObject({ code: "ALREADY_FAMILY_MEMBER" });
    expect(self.body.error.message).toContain("本人");
    expect(other.body.error.code).toBe("ID_ALREADY_REGISTERED");
  });

  it("edits name, relation and phone, keeping the phone when it is not sent", async () => {
    const { rep, motherId } = await withMother();
    const phone = randomPhone();
    const edited = await api("PUT", `/v1/me/family/${motherId}`, {
      token: rep.token,
      body: { name: "王秀英", relation: "other", phone, declaredGroups: ["chronic"] },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: "王秀英", relation: "other" });
    expect(edited.body.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(edited.body.groups).toContain("chronic");
    const kept = await api("PUT", `/v1/me/family/${motherId}`, {
      token: rep.token,
      body: { name: "王秀英", relation: "parent" },
    });
    expect(kept.body.phoneMasked).toBe(edited.body.phoneMasked);
    const me = await api("GET", "/v1/me", { token: rep.token });
    expect(me.body.family[0]).toMatchObject({ name: "王秀英", relation: "parent" });
    // her own record is not a family member
    const own = await api("PUT", `/v1/me/family/${rep.residentId}`, {
      token: rep.token,
      body: { name: "王秀英", relation: "parent" },
    });
    expect(own.status).toBe(404);
  });

  it("refuses to remove a member with a pending contract, then removes and lets another family add her", async () => {
    const { rep, idNumber, motherId } = await withMother();
    const applied = await api("POST", "/v1/contracts", {
      token: rep.token,
      body: applyBody(motherId, "t_demo_1"),
    });
    expect(applied.status).toBe(201);
    const refused = await api("DELETE", `/v1/me/family/${motherId}`, { token: rep.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("FAMILY_MEMBER_SIGNED");

    await api("POST", `/v1/contracts/${applied.body.contractId}/withdraw`, { token: rep.token });
    const removed = await api("DELETE", `/v1/me/family/${motherId}`, { token: rep.token });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ residentId: motherId, removed: true, erased: true });
    expect((await api("GET", "/v1/me", { token: rep.token })).body.family).toEqual([]);
    expect((await api("DELETE", `/v1/me/family/${motherId}`, { token: rep.token })).status).toBe(404);

    const sister = await newResident();
    const readded = await api("POST", "/v1/me/family", { token: sister.token, body: member(idNumber) });
    expect(readded.status).toBe(201);
  });
});
