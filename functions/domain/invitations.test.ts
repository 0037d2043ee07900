import { describe, expect, it } from "vitest";
import { newInvitationCode, normaliseCode, rolesAfterClaim } from "./invitations.js";

describe("rolesAfterClaim", () => {
  it("adds a staff role to a resident with no team, keeping resident", () => {
    // Act
    const result = rolesAfterClaim(["resident"], undefined, { role: "doctor", teamId: "t_1" });
    // Assess
    expect(result).toEqual({ ok: true, roles: ["resident", "doctor"] });
  });

  it("refuses a staff role for another team while the account is bound to one", () => {
    expect(rolesAfterClaim(["resident", "nurse"], "t_1", { role: "doctor", teamId: "t_2" })).toEqual({
      ok: false,
      reason: "other-team",
    });
    expect(rolesAfterClaim(["resident", "nurse"], "t_1", { role: "public_health", teamId: "t_2" }).ok).toBe(
      false,
    );
  });

  it("allows a second staff role in the same team without duplicating roles", () => {
    expect(rolesAfterClaim(["resident", "nurse"], "t_1", { role: "doctor", teamId: "t_1" })).toEqual({
      ok: true,
      roles: ["resident", "nurse", "doctor"],
    });
    expect(rolesAfterClaim(["resident", "doctor"], "t_1", { role: "doctor", teamId: "t_1" })).toEqual({
      ok: true,
      roles: ["resident", "doctor"],
    });
  });

  it("lets a team member become a manager, which binds no team", () => {
    expect(rolesAfterClaim(["resident", "doctor"], "t_1", { role: "manager" })).toEqual({
      ok: true,
      roles: ["resident", "doctor", "manager"],
    });
  });
});

describe("invitation codes", () => {
  it("are 8 characters from an alphabet without 0, O, 1, I or L", () => {
    // Act
    const codes = Array.from({ length: 2000 }, () => newInvitationCode());
    // Assess
    for (const code of codes) {
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
      expect(code).not.toMatch(/[01OIL]/);
    }
    // 31^8 possibilities: 2000 draws repeating would mean a broken generator
    expect(new Set(codes).size).toBe(codes.length);
    // every character of the alphabet turns up over 16 000 draws
    expect(new Set(codes.join("")).size).toBe(31);
  });

  it("normalises what people type: spaces, dashes and lower case", () => {
    expect(normaliseCode(" abcd-efgh ")).toBe("ABCDEFGH");
    expect(normaliseCode("ab cd\tef-gh")).toBe("ABCDEFGH");
  });
});
