import Taro from "@tarojs/taro";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../services/request";

export interface AsyncState<T> {
  data: T | null;
  loading: boolean;
  error: string | null;
  reload: () => void;
  setData: (data: T) => void;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "出了点问题，请稍后再试";
}

/** Loads data once on mount (and on reload), tracking loading and error states. */
export function useAsync<T>(load: () => Promise<T>, enabled = true): AsyncState<T> {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce is the reload trigger
  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    let cancelled = false;
    setLoading(true);
    setError(null);
    loadRef.current().then(
      (value) => {
        if (cancelled) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (cancelled) return;
        setError(errorMessage(err));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [enabled, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, loading, error, reload, setData };
}

/** Past this the pull's spinner stops anyway (a reload that never started, e.g. logged out). */
const PULL_SPINNER_MAX_MS = 10_000;

/**
 * The pull-to-refresh handler for a page loaded with useAsync: it reloads, and the promise it
 * returns (NutUI's PullToRefresh shows its spinner until then) settles once that new load has
 * settled, not before.
 */
export function useRefresh(state: Pick<AsyncState<unknown>, "loading" | "reload">): () => Promise<void> {
  const { loading, reload } = state;
  const waiting = useRef<{ phase: "pulled" | "loading"; done: () => void } | null>(null);
  useEffect(() => {
    const pull = waiting.current;
    if (pull?.phase === "pulled" && loading) pull.phase = "loading";
    else if (pull?.phase === "loading" && !loading) pull.done();
  }, [loading]);
  return useCallback(
    () =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          if (waiting.current?.done === done) waiting.current = null;
          resolve();
        };
        const timer = setTimeout(done, PULL_SPINNER_MAX_MS);
        waiting.current?.done();
        waiting.current = { phase: "pulled", done };
        reload();
      }),
    [reload],
  );
}

/**
 * 加载更多 for a list loaded with useAsync: `next` gives the list with its next page added, or null
 * when there is none. One request at a time; a failure is a toast and leaves the list as it was.
 */
export function useLoadMore<T>(
  state: Pick<AsyncState<T>, "data" | "setData">,
  next: (data: T) => Promise<T> | null,
): { loading: boolean; more: () => Promise<void> } {
  const [loading, setLoading] = useState(false);
  const more = async () => {
    const request = state.data && !loading ? next(state.data) : null;
    if (!request) return;
    setLoading(true);
    try {
      state.setData(await request);
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: "none" }).catch(() => undefined);
    } finally {
      setLoading(false);
    }
  };
  return { loading, more };
}
