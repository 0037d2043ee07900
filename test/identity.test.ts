import { describe, expect, it } from "vitest";
import {
  api,
  devLogin,
  idNumberFor,
  newResident,
  randomPhone,
  stack,
  uniqueOpenid,
  wechatCode,
} from "./support/api.js";

const profileBody = (idNumber: string, phone = randomPhone()) => ({
  name: "王小明",
  idType: "resident_id_card",
  idNumber,
  phone,
  neighbourhoodId: "n_demo_2",
  address: "和平里二区 5 号楼 101",
  consents: { privacyPolicyVersion: "2026-01", healthData: true },
});

describe("WeChat login through the fake WeChat server", () => {
  it("logs in with a fresh code, and refuses the same code a second time with 401", async () => {
    // Prepare
    const openid = uniqueOpenid("wx");
    const code = await wechatCode(openid);
    // Act
    const first = await api("POST", "/v1/auth/wechat-login", { body: { code } });
    const replay = await api("POST", "/v1/auth/wechat-login", { body: { code } });
    // Assess
    expect(first.status).toBe(200);
    expect(first.body.user.roles).toEqual(["resident"]);
    expect(first.body.expiresIn).toBeGreaterThan(0);
    expect(JSON.stringify(first.body)).not.toMatch(/session_?key/i);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("INVALID_WECHAT_CODE");
  });

  it("finds the same user on a second login and refuses unknown or expired codes", async () => {
    const openid = uniqueOpenid("wx");
    const a = await api("POST", "/v1/auth/wechat-login", { body: { code: await wechatCode(openid) } });
    const b = await api("POST", "/v1/auth/wechat-login", { body: { code: await wechatCode(openid) } });
    expect(b.body.user.id).toBe(a.body.user.id);
    const unknown = await api("POST", "/v1/auth/wechat-login", { body: { code: "no-such-code" } });
    expect(unknown.status).toBe(401);
    const expired = await api("POST", "/v1/auth/wechat-login", {
      body: { code: await wechatCode(openid, 6 * 60 * 1000) },
    });
    expect(expired.status).toBe(401);
  });

  it("rejects missing, forged and malformed tokens with 401", async () => {
    expect((await api("GET", "/v1/me")).status).toBe(401);
    expect((await api("GET", "/v1/me", { token: "not.a.jwt" })).status).toBe(401);
    const token = await devLogin(uniqueOpenid("forge"));
    const [h, p] = token.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "u_other", roles: ["manager"], iss: "jiayi" })).toString("base64url")}.${token.split(".")[2]}`;
    expect(p).toBeTruthy();
    expect((await api("GET", "/v1/me", { token: forged })).status).toBe(401);
  });
});

describe("resident profile", () => {
  it("saves a profile and answers only masked identifiers, with facts derived from the ID number", async () => {
    const token = await devLogin(uniqueOpenid("p"));
    const idNumber = idNumberFor("1950-03-08", "male");
    const phone = randomPhone();
    const res = await api("PUT", "/v1/me/profile", { token, body: profileBody(idNumber, phone) });
    expect(res.status).toBe(200);
    expect(res.body.idNumberMasked).toBe(`${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`);
    expect(res.body.phoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(res.body.birthDate).toBe("1950-03-08");
    expect(res.body.sex).toBe("male");
    expect(res.body.groups).toContain("elderly");
    expect(res.body.groups).not.toContain("elderly80");
    expect(res.body.centreId).toBe("c_demo");
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(idNumber);
    expect(text).not.toContain(phone);
    const me = await api("GET", "/v1/me", { token });
    expect(me.body.profile.residentId).toBe(res.body.residentId);
    expect(JSON.stringify(me.body)).not.toContain(idNumber);
  });

  it("rejects a bad check digit with 400 naming idNumber, and changes nothing", async () => {
    const token = await devLogin(uniqueOpenid("p"));
    const good = idNumberFor("1988-12-01");
    const wrongCheck = good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
    const res = await api("PUT", "/v1/me/profile", { token, body: profileBody(wrongCheck) });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: "idNumber" }));
    expect(res.body.error.details[0].message).toMatch(/校验位/);
    expect((await api("GET", "/v1/me", { token })).body.profile).toBeNull();
  });

  it("names every field at fault: phone, consents and an unknown neighbourhood", async () => {
    const token = await devLogin(uniqueOpenid("p"));
    const res = await api("PUT", "/v1/me/profile", {
      token,
      body: {
        ...profileBody(idNumberFor("1990-01-01")),
        phone: "12345",
        consents: { privacyPolicyVersion: "2026-01" },
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["phone", "consents.healthData"]));
    const nbh = await api("PUT", "/v1/me/profile", {
      token,
      body: { ...profileBody(idNumberFor("1990-01-01")), neighbourhoodId: "n_nowhere" },
    });
    expect(nbh.status).toBe(400);
    expect(nbh.body.error.details[0].path).toBe("neighbourhoodId");
  });

  it("refuses an outdated privacy policy version with 409", async () => {
    const token = await devLogin(uniqueOpenid("p"));
    const body = {
      ...profileBody(idNumberFor("1990-01-01")),
      consents: { privacyPolicyVersion: "2019-01", healthData: true },
    };
    const res = await api("PUT", "/v1/me/profile", { token, body });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("VERSION_OUTDATED");
  });

  it("gives one ID number to one resident: a second account gets 409, the first can update", async () => {
    const idNumber = idNumberFor("1975-07-07");
    const first = await devLogin(uniqueOpenid("dup"));
    const second = await devLogin(uniqueOpenid("dup"));
    expect((await api("PUT", "/v1/me/profile", { token: first, body: profileBody(idNumber) })).status).toBe(
      200,
    );
    const dup = await api("PUT", "/v1/me/profile", { token: second, body: profileBody(idNumber) });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("ID_ALREADY_REGISTERED");
    // the lower-case x form is the same number
    const again = await api("PUT", "/v1/me/profile", {
      token: first,
      body: { ...profileBody(idNumber), address: "新地址 1 号" },
    });
    expect(again.status).toBe(200);
    expect(again.body.address).toBe("新地址 1 号");
  });

  it("lets the ID number change, releasing the old one for someone else", async () => {
    const a = await devLogin(uniqueOpenid("move"));
    const b = await devLogin(uniqueOpenid("move"));
    const oldId = idNumberFor("1960-02-02");
    const newId = idNumberFor("1960-02-02");
    expect((await api("PUT", "/v1/me/profile", { token: a, body: profileBody(oldId) })).status).toBe(200);
    expect((await api("PUT", "/v1/me/profile", { token: a, body: profileBody(newId) })).status).toBe(200);
    expect((await api("PUT", "/v1/me/profile", { token: b, body: profileBody(oldId) })).status).toBe(200);
    expect((await api("PUT", "/v1/me/profile", { token: b, body: profileBody(newId) })).status).toBe(409);
  });

  it("accepts a passport with declared birth date and sex, and requires them", async () => {
    const token = await devLogin(uniqueOpenid("pp"));
    const base = { ...profileBody("E12345678"), idType: "passport" };
    const missing = await api("PUT", "/v1/me/profile", { token, body: base });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(["birthDate", "sex"]),
    );
    const ok = await api("PUT", "/v1/me/profile", {
      token,
      body: {
        ...base,
        idNumber: `E${Date.now().toString().slice(-8)}`,
        birthDate: "2021-06-01",
        sex: "female",
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.groups).toContain("children");
  });
});

describe("family members", () => {
  it("requires an own profile first", async () => {
    const token = await devLogin(uniqueOpenid("fam"));
    const res = await api("POST", "/v1/me/family", {
      token,
      body: {
        name: "王奶奶",
        idType: "resident_id_card",
        idNumber: idNumberFor("1940-01-01"),
        relation: "parent",
      },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("PROFILE_REQUIRED");
  });

  it("adds a parent who inherits the household address, masked, with age groups derived", async () => {
    const rep = await newResident();
    const idNumber = idNumberFor("1938-10-10", "female");
    const res = await api("POST", "/v1/me/family", {
      token: rep.token,
      body: {
        name: "王奶奶",
        idType: "resident_id_card",
        idNumber,
        relation: "parent",
        declaredGroups: ["chronic"],
        consent: { confirmed: true },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.groups).toEqual(expect.arrayContaining(["elderly", "elderly80", "chronic"]));
    expect(res.body.phoneMasked).toBeNull();
    expect(res.body.relation).toBe("parent");
    expect(JSON.stringify(res.body)).not.toContain(idNumber);
    const me = await api("GET", "/v1/me", { token: rep.token });
    expect(me.body.family).toHaveLength(1);
    expect(me.body.family[0].residentId).toBe(res.body.residentId);
    // the same person cannot be registered twice, by anyone
    const again = await api("POST", "/v1/me/family", {
      token: rep.token,
      body: { name: "王奶奶", idType: "resident_id_card", idNumber, relation: "parent" },
    });
    expect(again.status).toBe(409);
  });
});

describe("invitations and roles", () => {
  it("lets the demo manager invite a doctor; the code works once and grants the team role", async () => {
    const manager = await devLogin("demo-manager");
    const inv = await api("POST", "/v1/centres/c_demo/invitations", {
      token: manager,
      body: { role: "doctor", teamId: "t_demo_2" },
    });
    expect(inv.status).toBe(201);
    expect(inv.body.code).toMatch(/^[A-Z2-9]{8}$/);
    const newcomer = await devLogin(uniqueOpenid("doc"));
    const claim = await api("POST", "/v1/invitations/claim", {
      token: newcomer,
      body: { code: inv.body.code, name: "钱医生" },
    });
    expect(claim.status).toBe(200);
    expect(claim.body.user.roles).toEqual(expect.arrayContaining(["resident", "doctor"]));
    expect(claim.body.user.teamId).toBe("t_demo_2");
    const me = await api("GET", "/v1/me", { token: claim.body.token });
    expect(me.body.user.teamId).toBe("t_demo_2");
    const other = await devLogin(uniqueOpenid("doc"));
    const reuse = await api("POST", "/v1/invitations/claim", { token: other, body: { code: inv.body.code } });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error.code).toBe("INVITATION_INVALID");
    const unknown = await api("POST", "/v1/invitations/claim", { token: other, body: { code: "ZZZZ2222" } });
    expect(unknown.status).toBe(404);
    // the same account sending its claim again (its first answer lost) gets the same role, not an error
    const retried = await api("POST", "/v1/invitations/claim", {
      token: claim.body.token,
      body: { code: inv.body.code, name: "钱医生" },
    });
    expect(retried.status).toBe(200);
    expect(retried.body.user).toEqual(claim.body.user);
  });

  it("refuses invitations from non-managers and for another centre", async () => {
    const doctor = await devLogin("demo-doctor-1");
    expect(
      (
        await api("POST", "/v1/centres/c_demo/invitations", {
          token: doctor,
          body: { role: "nurse", teamId: "t_demo_1" },
        })
      ).status,
    ).toBe(403);
    const manager = await devLogin("demo-manager");
    expect(
      (await api("POST", "/v1/centres/c_other/invitations", { token: manager, body: { role: "manager" } }))
        .status,
    ).toBe(403);
    const noTeam = await api("POST", "/v1/centres/c_demo/invitations", {
      token: manager,
      body: { role: "nurse" },
    });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.error.details[0].path).toBe("teamId");
  });
});

describe("export and erasure", () => {
  it("exports masked data, and deleting the account frees the ID number and ends the session", async () => {
    const resident = await newResident();
    const exported = await api("GET", "/v1/me/export", { token: resident.token });
    expect(exported.status).toBe(200);
    expect(exported.body.profile.residentId).toBe(resident.residentId);
    expect(JSON.stringify(exported.body)).not.toContain(resident.idNumber);
    const del = await api("DELETE", "/v1/me", { token: resident.token });
    expect(del.status).toBe(200);
    expect(del.body.erasedResidents).toBe(1);
    expect((await api("GET", "/v1/me", { token: resident.token })).status).toBe(401);
    const newcomer = await devLogin(uniqueOpenid("again"));
    const reuse = await api("PUT", "/v1/me/profile", {
      token: newcomer,
      body: profileBody(resident.idNumber),
    });
    expect(reuse.status).toBe(200);
  });

  it("lists the demo centre with its neighbourhoods", async () => {
    const token = await devLogin(uniqueOpenid("c"));
    const res = await api("GET", "/v1/centres?limit=10", { token });
    expect(res.status).toBe(200);
    expect(res.body.nextCursor === null || typeof res.body.nextCursor === "string").toBe(true);
    const demo = res.body.items.find((c: { centreId: string }) => c.centreId === "c_demo");
    expect(demo.neighbourhoods).toHaveLength(3);
    expect(stack().url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});
