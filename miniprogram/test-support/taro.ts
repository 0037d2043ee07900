/**
 * `@tarojs/taro` for unit tests: Taro's H5 API (storage, request, toast, navigation), plus the page
 * lifecycle hooks that the React framework plugin attaches at build time (run as plain effects).
 *
 * In the real H5 build, babel-plugin-transform-taroapi turns `Taro.showToast` into a named import;
 * here the default export is one object holding every H5 API, so `vi.spyOn(Taro, "request")` works.
 */
import * as h5 from "@tarojs/taro-h5";
import { useEffect } from "react";

export * from "@tarojs/taro-h5";

export function useDidShow(callback: () => void): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per mount, like a first onShow
  useEffect(() => {
    callback();
  }, []);
}
export function useDidHide(_callback: () => void): void {}
export function useLoad(callback: (params: Record<string, string>) => void): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per mount, like onLoad
  useEffect(() => {
    callback({});
  }, []);
}
/** A pull only happens when a test calls the registered callback (see use-async.test.tsx). */
export function usePullDownRefresh(_callback: () => void): void {}
/** The share hook does nothing in the browser; tests only need it not to throw. */
export function useShareAppMessage(_callback: () => { title?: string; path?: string }): void {}
export function useRouter(): { params: Record<string, string>; path: string } {
  return { params: {}, path: "" };
}

const { default: base, ...named } = h5;
const Taro = Object.assign({}, base, named, {
  useDidShow,
  useDidHide,
  useLoad,
  usePullDownRefresh,
  useRouter,
  useShareAppMessage,
});

export default Taro;
