import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { EntitlementList } from "./EntitlementList";

describe("fulfilment progress", () => {
  it('shows "慢病随访 2/4" with a half-filled bar', () => {
    render(
      <EntitlementList
        idPrefix="e"
        entitlements={[
          { type: "chronic_followup", name: "慢病随访", entitled: 4, delivered: 2 },
          { type: "annual_assessment", name: "年度健康评估", entitled: 1, delivered: 0 },
        ]}
      />,
    );
    const row = document.getElementById("e-chronic_followup");
    expect(row?.textContent).toContain("慢病随访");
    expect(document.getElementById("e-chronic_followup-count")?.textContent).toBe("2/4");
    const inner = row?.querySelector<HTMLElement>(".nut-progress-inner");
    expect(inner?.style.width).toBe("50%");
    expect(document.getElementById("e-annual_assessment-count")?.textContent).toBe("0/1");
  });
});
