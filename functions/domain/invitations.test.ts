import { describe, expect, it } from "vitest";
import { claimedState, newInvitationCode, normaliseCode } from "./invitations.js";

describe("claimedState", () => {
  const doctorOfT2 = { role: "doctor", centreId: "c_a", teamId: "t_2" } as const;

  it("adds a staff role to a resident with no centre, keeping resident and binding the team", () => {
    // Act
    const result = claimedState({ roles: ["resident"] }, { role: "doctor", centreId: "c_a", teamId: "t_1" });
    // Assess
    expect(result).toEqual({
      ok: true,
      state: { roles: ["resident", "doctor"], centreId: "c_a", teamId: "t_1" },
    });
  });

  it("refuses a manager of centre A an invitation of centre B, whatever its role", () => {
    const managerOfA = { roles: ["resident", "manager"], centreId: "c_a" } as const;
    for (const role of ["nurse", "doctor", "manager"] as const) {
      expect(
        claimedState(
          { ...managerOfA, roles: [...managerOfA.roles] },
          { role, centreId: "c_b", teamId: "t_b" },
        ),
      ).toEqual({
        ok: false,
        reason: "other-centre",
      });
    }
    expect(
      claimedState(
        { roles: ["nurse"], centreId: "c_a", teamId: "t_1" },
        { role: "nurse", centreId: "c_b", teamId: "t_9" },
      ),
    ).toEqual({ ok: false, reason: "other-centre" });
  });

  it("moves a plain resident to another centre with only the new role, carrying nothing across", () => {
    expect(
      claimedState({ roles: ["resident"], centreId: "c_a" }, { role: "manager", centreId: "c_b" }),
    ).toEqual({
      ok: true,
      state: { roles: ["resident", "manager"], centreId: "c_b", teamId: undefined },
    });
  });

  it("refuses a staff role for another team of the same centre while the account is bound to one", () => {
    const nurse = { roles: ["resident", "nurse"], centreId: "c_a", teamId: "t_1" } as const;
    expect(claimedState({ ...nurse, roles: [...nurse.roles] }, doctorOfT2)).toEqual({
      ok: false,
      reason: "other-team",
    });
    expect(
      claimedState(
        { ...nurse, roles: [...nurse.roles] },
        { role: "public_health", centreId: "c_a", teamId: "t_2" },
      ).ok,
    ).toBe(false);
  });

  it("adds a second staff role in the same team without duplicating roles", () => {
    const nurse = { roles: ["resident", "nurse"], centreId: "c_a", teamId: "t_2" } as const;
    expect(claimedState({ ...nurse, roles: [...nurse.roles] }, doctorOfT2)).toEqual({
      ok: true,
      state: { roles: ["resident", "nurse", "doctor"], centreId: "c_a", teamId: "t_2" },
    });
    expect(
      claimedState({ roles: ["resident", "doctor"], centreId: "c_a", teamId: "t_2" }, doctorOfT2),
    ).toEqual({
      ok: true,
      state: { roles: ["resident", "doctor"], centreId: "c_a", teamId: "t_2" },
    });
  });

  it("lets a team member become the centre's manager, keeping the team", () => {
    expect(
      claimedState(
        { roles: ["resident", "doctor"], centreId: "c_a", teamId: "t_1" },
        { role: "manager", centreId: "c_a" },
      ),
    ).toEqual({
      ok: true,
      state: { roles: ["resident", "doctor", "manager"], centreId: "c_a", teamId: "t_1" },
    });
  });

  it("lets a manager without a team join one of the same centre", () => {
    expect(claimedState({ roles: ["manager"], centreId: "c_a" }, doctorOfT2)).toEqual({
      ok: true,
      state: { roles: ["manager", "doctor"], centreId: "c_a", teamId: "t_2" },
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
