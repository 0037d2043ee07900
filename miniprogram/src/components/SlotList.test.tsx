import { fireEvent, render } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Slot } from "../services/types";
import { SlotList } from "./SlotList";

const slot = (slotId: string, remaining: number, closed = false): Slot => ({
  slotId,
  teamId: "t1",
  serviceType: "consultation",
  serviceName: "全科门诊",
  date: "2026-11-24",
  startsAt: "2026-11-24T00:00:00.000Z",
  endsAt: "2026-11-24T00:30:00.000Z",
  capacity: 5,
  remaining,
  closed,
  groups: [],
});

const byId = (id: string) => document.getElementById(id);

describe("SlotList", () => {
  it("shows the remaining places and 预约 on an open slot", () => {
    const onBook = vi.fn();
    render(<SlotList slots={[slot("s1", 3)]} onBook={onBook} onWaitlist={vi.fn()} />);
    expect(byId("slot-s1-time")?.textContent).toBe("08:00–08:30");
    expect(byId("slot-s1-remaining")?.textContent).toBe("剩余 3 个名额");
    expect(byId("slot-s1-book")?.textContent).toContain("预约");
    expect(byId("slot-s1-waitlist")).toBeNull();
    fireEvent.click(byId("slot-s1-book") as HTMLElement);
    expect(onBook).toHaveBeenCalledWith(expect.objectContaining({ slotId: "s1" }));
  });

  it("shows 已约满 and 候补 instead of 预约 on a full slot", () => {
    const onBook = vi.fn();
    const onWaitlist = vi.fn();
    render(<SlotList slots={[slot("s2", 0)]} onBook={onBook} onWaitlist={onWaitlist} />);
    expect(byId("slot-s2-full")?.textContent).toBe("已约满");
    expect(byId("slot-s2-book")).toBeNull();
    expect(byId("slot-s2-remaining")).toBeNull();
    expect(byId("slot-s2-waitlist")?.textContent).toContain("候补");
    fireEvent.click(byId("slot-s2-waitlist") as HTMLElement);
    expect(onWaitlist).toHaveBeenCalledWith(expect.objectContaining({ slotId: "s2" }));
    expect(onBook).not.toHaveBeenCalled();
  });

  it("shows the queue position once waiting, and nothing to tap on a closed slot", () => {
    render(
      <SlotList
        slots={[slot("s3", 0), slot("s4", 0, true)]}
        waiting={{ s3: 2 }}
        onBook={vi.fn()}
        onWaitlist={vi.fn()}
      />,
    );
    expect(byId("slot-s3-waiting")?.textContent).toBe("已候补，第 2 位");
    expect(byId("slot-s3-waitlist")).toBeNull();
    expect(byId("slot-s4-closed")?.textContent).toBe("已停诊");
    expect(byId("slot-s4")?.querySelector("button")).toBeNull();
  });
});
