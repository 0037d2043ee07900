import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { BarChart, ColumnChart } from "./BarChart";

const byId = (id: string) => document.getElementById(id);
const part = (id: string, selector: string) =>
  document.getElementById(id)?.querySelector(selector) as HTMLElement;

describe("BarChart", () => {
  it("renders one bar per group with its label and value", () => {
    render(
      <BarChart
        id="c"
        max={5}
        format={(v) => v.toFixed(1)}
        bars={[
          { key: "t1", label: "第一家庭医生团队", value: 4.25, note: "12 份" },
          { key: "t2", label: "第二家庭医生团队", value: 3.5, note: "8 份" },
          { key: "t3", label: "第三家庭医生团队", value: 2, note: "6 份" },
        ]}
      />,
    );
    expect(document.querySelectorAll("#c .chart__row")).toHaveLength(3);
    expect(byId("c-bar-t1-label")?.textContent).toBe("第一家庭医生团队");
    expect(byId("c-bar-t2-label")?.textContent).toBe("第二家庭医生团队");
    expect(byId("c-bar-t1-value")?.textContent).toBe("4.3");
    expect(byId("c-bar-t3-value")?.textContent).toBe("2.0");
    // Bar length is the share of the maximum.
    expect(part("c-bar-t3", ".chart__fill").style.width).toBe("40%");
  });

  it("shows 样本不足（少于 5 份） and no bar where the average is null", () => {
    render(
      <BarChart
        id="c"
        max={5}
        bars={[
          { key: "t1", label: "第一家庭医生团队", value: 4.2 },
          { key: "t9", label: "新团队", value: null, note: "1 份" },
        ]}
      />,
    );
    expect(byId("c-bar-t9-value")?.textContent).toBe("样本不足（少于 5 份）");
    expect(byId("c-bar-t9")?.querySelector(".chart__fill")).toBeNull();
    expect(byId("c-bar-t1")?.querySelector(".chart__fill")).not.toBeNull();
  });

  it("draws the target line and a column per month", () => {
    render(
      <>
        <BarChart
          id="cov"
          max={1}
          bars={[{ key: "total", label: "全中心", value: 0.6 }]}
          target={{ value: 0.85, label: "目标 85%" }}
        />
        <ColumnChart
          id="trend"
          max={5}
          bars={[
            { key: "2026-10", label: "10月", value: 4.1 },
            { key: "2026-11", label: "11月", value: null },
          ]}
        />
      </>,
    );
    expect(part("cov-bar-total", ".chart__target").style.left).toBe("85%");
    expect(byId("cov-target")?.textContent).toBe("目标 85%");
    expect(document.querySelectorAll("#trend .columns__col")).toHaveLength(2);
    expect(byId("trend-col-2026-11-label")?.textContent).toBe("11月");
    expect(byId("trend-col-2026-11-value")?.textContent).toBe("不足5份");
  });
});
