import { describe, expect, it } from "vitest";
import type { ServicePackage } from "../services/types";
import { maskName, moneyTotals, offeredPackages, packageFits, progressOf, yuan } from "./contracts";

const pkg = (
  packageId: string,
  targetGroups: ServicePackage["targetGroups"],
  basic = false,
): ServicePackage => ({
  packageId,
  centreId: "c1",
  name: packageId,
  description: "",
  basic,
  targetGroups,
  items: [],
  feeFen: 1000,
  subsidyFen: 600,
  residentPaysFen: 400,
  validFrom: "2026-01-01",
  validTo: null,
});

describe("package choice", () => {
  const packages = [
    pkg("p_basic", [], true),
    pkg("p_chronic", ["chronic"]),
    pkg("p_elderly", ["elderly"]),
    pkg("p_child", ["children"]),
    pkg("p_everyone", []),
  ];

  it("does not offer the child package to a 70-year-old, but the elderly one", () => {
    const offered = offeredPackages(packages, ["elderly"]);
    expect(offered.basic.map((p) => p.packageId)).toEqual(["p_basic"]);
    expect(offered.optional.map((p) => p.packageId)).toEqual(["p_elderly", "p_everyone"]);
  });

  it("a package fits when it targets everyone or shares a group", () => {
    expect(packageFits(pkg("x", []), [])).toBe(true);
    expect(packageFits(pkg("x", ["chronic", "elderly"]), ["chronic"])).toBe(true);
    expect(packageFits(pkg("x", ["children"]), ["elderly", "chronic"])).toBe(false);
  });

  it("adds up money in fen and shows yuan", () => {
    expect(moneyTotals([pkg("a", []), pkg("b", [])])).toEqual({
      feeFen: 2000,
      subsidyFen: 1200,
      residentPaysFen: 800,
    });
    expect(yuan(3000)).toBe("¥30.00");
    expect(yuan(5)).toBe("¥0.05");
  });
});

describe("progress and masks", () => {
  it("shows delivered/entitled and caps the bar at 100%", () => {
    expect(progressOf({ entitled: 4, delivered: 2 })).toEqual({ text: "2/4", percent: 50, done: false });
    expect(progressOf({ entitled: 1, delivered: 3 })).toMatchObject({
      text: "3/1",
      percent: 100,
      done: true,
    });
    expect(progressOf({ entitled: 0, delivered: 0 }).percent).toBe(0);
  });

  it("masks names the way the agreement shows them", () => {
    expect(maskName("王秀兰")).toBe("王*兰");
    expect(maskName("李雷")).toBe("李*");
    expect(maskName("欧阳娜娜")).toBe("欧**娜");
  });
});
