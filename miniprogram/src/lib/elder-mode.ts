/**
 * 长辈模式 (elder mode): a persisted setting every page honours through PageShell.
 * A tiny external store so every mounted page re-renders when it changes, without a provider.
 */
import Taro from "@tarojs/taro";
import { useSyncExternalStore } from "react";
import { STORAGE_KEYS } from "../services/session";

let current: boolean | null = null;
const listeners = new Set<() => void>();

function readStored(): boolean {
  try {
    return Taro.getStorageSync(STORAGE_KEYS.elderMode) === true;
  } catch {
    return false;
  }
}

export function isElderMode(): boolean {
  if (current === null) current = readStored();
  return current;
}

export function setElderMode(on: boolean): void {
  current = on;
  try {
    Taro.setStorageSync(STORAGE_KEYS.elderMode, on);
  } catch {
    // Storage full or unavailable: the setting still applies for this session.
  }
  for (const listener of listeners) listener();
}

/** Re-reads storage (tests; and after another tab of the H5 app changed it). */
export function reloadElderMode(): void {
  current = readStored();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useElderMode(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, isElderMode, isElderMode);
  return [on, setElderMode];
}
