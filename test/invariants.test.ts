import { describe, expect, it } from "vitest";
import { lockProblems } from "./support/invariants.js";

describe("lock invariants (test/support/invariants.ts)", () => {
  const contract = (contractId: string, teamId: string, status = "active") => ({
    type: "Contract",
    contractId,
    teamId,
    status,
  });

  it("flags a contract holding a place without its lock, and a lock on an ended contract", () => {
    const problems = lockProblems([
      { type: "Team", teamId: "t1" },
      contract("k1", "t1"),
      contract("k2", "t1", "terminated"),
      { type: "SignedLock", pk: "RES#r2", contractId: "k2" },
    ]);
    expect(problems).toEqual([
      "lock RES#r2 points to k2 (terminated)",
      "contract k1 (active) holds a place without a lock",
    ]);
  });

  it("leaves alone contracts a test wrote straight into a fixture team", () => {
    expect(lockProblems([{ type: "Team", teamId: "t9", fixture: true }, contract("k9", "t9")])).toEqual([]);
  });

  it("checks a switch names its lock's contract", () => {
    expect(
      lockProblems([
        { type: "Team", teamId: "t1" },
        contract("k1", "t1"),
        { ...contract("k2", "t2", "pending"), switchFromContractId: "k0" },
        { type: "SignedLock", pk: "RES#r1", contractId: "k1", pendingSwitchContractId: "k2" },
      ]),
    ).toEqual(["switch k2 is from k0, lock on k1"]);
  });
});
