import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PageShell } from "../components/PageShell";
import { useAsync } from "./use-async";

function List({ load }: { load: () => Promise<number> }) {
  const state = useAsync(load);
  return (
    <PageShell refresh={state} loading={state.loading && state.data === null}>
      <div id="value">{String(state.data)}</div>
    </PageShell>
  );
}

/** A finger pulling the page down by `distance` px in steps, then letting go. */
function pull(el: Element, distance: number) {
  fireEvent.touchStart(el, { touches: [{ clientX: 100, clientY: 100 }] });
  for (let y = 20; y <= distance; y += 20) {
    fireEvent.touchMove(el, { touches: [{ clientX: 100, clientY: 100 + y }] });
  }
  fireEvent.touchEnd(el, { touches: [] });
}

const statusText = () => document.querySelector(".nut-pulltorefresh-status-text")?.textContent;

describe("pull to refresh (NutUI PullToRefresh in PageShell)", () => {
  it("a pull past the threshold reloads; the spinner stays until the new load has settled", async () => {
    const pending: ((value: number) => void)[] = [];
    let loads = 0;
    const load = () =>
      new Promise<number>((resolve) => {
        loads++;
        pending.push(resolve);
      });

    render(<List load={load} />);
    act(() => pending.shift()?.(1));
    await waitFor(() => expect(screen.getByText("1")).toBeTruthy());
    const area = document.querySelector(".nut-pulltorefresh");
    if (!area) throw new Error("no pull-to-refresh area");

    // A short pull springs back without reloading.
    pull(area, 40);
    expect(loads).toBe(1);

    pull(area, 400);
    await waitFor(() => expect(loads).toBe(2));
    expect(statusText()).toBe("正在刷新…");
    // The page keeps its content while it refreshes.
    expect(screen.getByText("1")).toBeTruthy();

    act(() => pending.shift()?.(2));
    await waitFor(() => expect(screen.getByText("2")).toBeTruthy());
    await waitFor(() => expect(statusText()).toBe("已刷新"));
  });
});
