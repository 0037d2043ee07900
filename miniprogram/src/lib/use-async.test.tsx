import Taro from "@tarojs/taro";
import { act, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { useAsync, usePullToRefresh } from "./use-async";

function List({ load }: { load: () => Promise<number> }) {
  const state = useAsync(load);
  usePullToRefresh(state);
  return <div id="value">{state.loading ? "加载中" : String(state.data)}</div>;
}

describe("usePullToRefresh", () => {
  it("reloads on the pull and stops the spinner only when the new load has settled", async () => {
    let pull: (() => void) | undefined;
    vi.spyOn(Taro, "usePullDownRefresh").mockImplementation((callback) => {
      pull = callback;
    });
    const stop = vi.spyOn(Taro, "stopPullDownRefresh").mockImplementation(() => undefined);
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
    expect(loads).toBe(1);

    act(() => pull?.());
    await waitFor(() => expect(loads).toBe(2));
    expect(stop).not.toHaveBeenCalled();
    act(() => pending.shift()?.(2));
    await waitFor(() => expect(screen.getByText("2")).toBeTruthy());
    expect(stop).toHaveBeenCalledTimes(1);
  });
});
