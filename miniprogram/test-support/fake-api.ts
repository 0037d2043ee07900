/**
 * A fake API for page tests: Taro.request answered by "METHOD /path" routes (query ignored), 404
 * otherwise; the spy is returned so tests can read the calls made.
 */
import Taro from "@tarojs/taro";
import { fireEvent } from "@testing-library/react";
import { vi } from "vitest";

export type RequestOption = Taro.request.Option;
export type Reply = { statusCode: number; data: unknown };
export type Routes = Record<string, (option: RequestOption) => Reply | unknown>;

const isReply = (v: unknown): v is Reply =>
  !!v && typeof v === "object" && "statusCode" in v && typeof (v as Reply).statusCode === "number";

/** A route may answer a full reply or just the data (200). */
export function fakeApi(routes: Routes) {
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const route = routes[`${option.method ?? "GET"} ${option.url.split("?")[0]}`];
    const answer = route
      ? route(option)
      : { statusCode: 404, data: { error: { code: "NOT_FOUND", message: "不存在" } } };
    const res = isReply(answer) ? answer : { statusCode: 200, data: answer };
    return Promise.resolve({ ...res, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

/** The calls made with this method and path (query ignored). */
export function callsTo(api: ReturnType<typeof fakeApi>, method: string, path: string): RequestOption[] {
  return api.mock.calls
    .map(([o]) => o as RequestOption)
    .filter((o) => (o.method ?? "GET") === method && o.url.split("?")[0] === path);
}

export const byId = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

export const meAs = (user: Record<string, unknown>) => ({ user, profile: null, family: [] });

/** Types into an input or textarea by the id on it or on its wrapper (NutUI puts it either way). */
export function typeInto(id: string, value: string): void {
  const el = byId(id);
  // Taro's textarea is a custom element: its handlers read the value from the event's detail.
  if (el.tagName === "TARO-TEXTAREA-CORE") {
    el.dispatchEvent(new CustomEvent("input", { detail: { value }, bubbles: true }));
    return;
  }
  const field = /^(INPUT|TEXTAREA)$/.test(el.tagName) ? el : el.querySelector("textarea, input");
  if (!field) throw new Error(`#${id} holds no input: ${el.outerHTML.slice(0, 400)}`);
  fireEvent.input(field, { target: { value } });
}
