import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { DateTimePicker } from "./DateTimePicker";

describe("DateTimePicker (issue 14, item 8)", () => {
  it("shows the value, or a placeholder asking to pick", () => {
    render(
      <>
        <DateTimePicker id="d" mode="date" value="2026-12-08" onChange={vi.fn()} />
        <DateTimePicker id="t" mode="time" value="" onChange={vi.fn()} />
      </>,
    );
    expect(document.getElementById("d")?.textContent).toContain("2026-12-08");
    expect(document.getElementById("t")?.textContent).toContain("请选择时间");
  });

  it("answers the picked time in HH:mm", async () => {
    const onChange = vi.fn();
    render(<DateTimePicker id="t" mode="time" value="14:30" onChange={onChange} />);
    fireEvent.click(document.getElementById("t") as HTMLElement);
    fireEvent.click(await screen.findByText("确定"));
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(onChange.mock.calls[0]?.[0]).toMatch(/^\d{2}:\d{2}$/);
  });
});
