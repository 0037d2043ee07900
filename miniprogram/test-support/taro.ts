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
/** Page scrolling does not happen in jsdom: the page stays at its top. */
export function usePageScroll(_callback: (event: { scrollTop: number }) => void): void {}
/** The share hook does nothing in the browser; tests only need it not to throw. */
export function useShareAppMessage(_callback: () => { title?: string; path?: string }): void {}
export function useRouter(): { params: Record<string, string>; path: string } {
  return { params: {}, path: "" };
}

/**
 * Taro's H5 selector query looks for the current page, which only the app's router creates; here
 * it reads the document (NutUI's Tabs measures its titles this way).
 */
type Rect = { left: number; right: number; top: number; bottom: number; width: number; height: number };
const rectOf = (el: Element): Rect => {
  const { left, right, top, bottom, width, height } = el.getBoundingClientRect();
  return { left, right, top, bottom, width, height };
};
export function createSelectorQuery() {
  const reads: (() => Rect | Rect[] | null)[] = [];
  const query = {
    select: (selector: string) => ({
      boundingClientRect: () => {
        reads.push(() => {
          const el = document.querySelector(selector);
          return el ? rectOf(el) : null;
        });
        return query;
      },
    }),
    selectAll: (selector: string) => ({
      boundingClientRect: () => {
        reads.push(() => Array.from(document.querySelectorAll(selector), rectOf));
        return query;
      },
    }),
    exec: (callback?: (results: unknown[]) => void) => {
      const results = reads.map((read) => read());
      setTimeout(() => callback?.(results), 0);
      return query;
    },
  };
  return query;
}

const { default: base, ...named } = h5;
const Taro = Object.assign({}, base, named, {
  useDidShow,
  useDidHide,
  useLoad,
  usePageScroll,
  useRouter,
  useShareAppMessage,
  createSelectorQuery,
});

export default Taro;
