import { describe, expect, it } from "vitest";
import { changedState, membersWith } from "./staff.js";

describe("changedState", () => {
  const nurse = { roles: ["resident", "nurse"], centreId: "c_a", teamId: "t_1" } as const;
  const current = () => ({ ...nurse, roles: [...nurse.roles] });

  it("moves a member to another team, keeping resident", () => {
    // Act
    const result = changedState(current(), { roles: ["nurse"], teamId: "t_2" }, false);
    // Assess
    expect(result).toEqual({
      ok: true,
      state: { roles: ["resident", "nurse"], centreId: "c_a", teamId: "t_2" },
    });
  });

  it("keeps the current team when none is named, and drops it for a manager-only account", () => {
    expect(changedState(current(), { roles: ["doctor", "nurse"] }, false)).toEqual({
      ok: true,
      state: { roles: ["resident", "doctor", "nurse"], centreId: "c_a", teamId: "t_1" },
    });
    expect(changedState(current(), { roles: ["manager"] }, false)).toEqual({
      ok: true,
      state: { roles: ["resident", "manager"], centreId: "c_a", teamId: undefined },
    });
  });

  it("needs a team for team roles and refuses one for a manager-only account", () => {
    expect(changedState({ roles: ["manager"], centreId: "c_a" }, { roles: ["doctor"] }, false)).toEqual({
      ok: false,
      reason: "team-required",
    });
    expect(changedState(current(), { roles: ["manager"], teamId: "t_1" }, false)).toEqual({
      ok: false,
      reason: "team-without-role",
    });
  });

  it("does not let a manager take the manager role from themselves", () => {
    const manager = { roles: ["resident", "manager"] as ("resident" | "manager")[], centreId: "c_a" };
    expect(changedState(manager, { roles: ["doctor"], teamId: "t_1" }, true)).toEqual({
      ok: false,
      reason: "own-manager-role",
    });
    expect(changedState(manager, { roles: ["manager", "doctor"], teamId: "t_1" }, true).ok).toBe(true);
    expect(changedState(manager, { roles: ["doctor"], teamId: "t_1" }, false).ok).toBe(true);
  });
});

describe("membersWith", () => {
  const members = [
    { userId: "u_doc", name: "王建国", role: "doctor" as const },
    { userId: "u_nurse", name: "李秀梅", role: "nurse" as const },
    { name: "张伟", role: "public_health" as const },
  ];

  it("removes every entry of a member who leaves and keeps everyone else in order", () => {
    expect(membersWith(members, "u_doc", [], "")).toEqual([members[1], members[2]]);
  });

  it("keeps the entries of roles a member keeps in place and appends new ones", () => {
    expect(membersWith(members, "u_nurse", ["resident", "nurse", "doctor"], "李秀梅")).toEqual([
      members[0],
      members[1],
      members[2],
      { userId: "u_nurse", name: "李秀梅", role: "doctor" },
    ]);
    expect(membersWith(members, "u_new", ["resident", "manager", "nurse"], "钱护士")).toEqual([
      ...members,
      { userId: "u_new", name: "钱护士", role: "nurse" },
    ]);
  });

  it("changes nothing when the member already holds exactly those roles", () => {
    expect(membersWith(members, "u_doc", ["doctor"], "王建国")).toEqual(members);
  });
});
