import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { ExportData } from "../services/types";
import { ExportSummary } from "./ExportSummary";

const DATA: ExportData = {
  exportedAt: "2026-12-01T02:00:00.000Z",
  user: { id: "u1", roles: ["resident"] },
  profile: {
    residentId: "r1",
    name: "李秀英",
    idType: "resident_id_card",
    idNumberMasked: "110***********002X",
    phoneMasked: "138****5678",
    birthDate: "1956-01-01",
    sex: "female",
    age: 70,
    groups: ["elderly"],
    declaredGroups: [],
    neighbourhoodId: "n1",
    centreId: "c1",
    address: "和平里一区 3 号楼",
    consents: {
      privacyPolicyVersion: "2026-01",
      privacyAcceptedAt: "2026-11-20T02:00:00.000Z",
      healthData: true,
      healthDataAcceptedAt: "2026-11-20T02:00:00.000Z",
    },
  },
  family: [],
};

describe("export summary (issue 14, item 8)", () => {
  it("reads as Chinese, with no English keys and only masked identifiers", () => {
    render(<ExportSummary data={DATA} />);
    const text = document.getElementById("my-export-summary")?.textContent ?? "";
    expect(document.getElementById("export-time")?.textContent).toBe("2026-12-01 10:00");
    expect(document.getElementById("export-roles")?.textContent).toBe("居民");
    expect(text).toContain("居民身份证 110***********002X");
    expect(text).toContain("65岁及以上老年人");
    expect(text).toContain("代办的家庭成员（0 位）");
    expect(text).not.toMatch(/idNumberMasked|privacyPolicyVersion|residentId|[{}"]/);
  });
});
