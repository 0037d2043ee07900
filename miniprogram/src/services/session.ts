import type { Role } from "@shared/enums";
import Taro from "@tarojs/taro";

/** Storage keys; one place so a logout can clear exactly what a login wrote. */
export const STORAGE_KEYS = {
  token: "jiayi.token",
  user: "jiayi.user",
  consent: "jiayi.consent",
  elderMode: "jiayi.elderMode",
} as const;

export interface SessionUser {
  id: string;
  roles: Role[];
}

export interface StoredConsent {
  privacyPolicyVersion: string;
  healthData: true;
  acceptedAt: string;
}

function read<T>(key: string): T | null {
  try {
    const value: unknown = Taro.getStorageSync(key);
    return value === "" || value === undefined || value === null ? null : (value as T);
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  const token = read<string>(STORAGE_KEYS.token);
  return typeof token === "string" && token ? token : null;
}

export function getSessionUser(): SessionUser | null {
  return read<SessionUser>(STORAGE_KEYS.user);
}

export function saveSession(token: string, user: SessionUser): void {
  Taro.setStorageSync(STORAGE_KEYS.token, token);
  Taro.setStorageSync(STORAGE_KEYS.user, user);
}

export function clearSession(): void {
  Taro.removeStorageSync(STORAGE_KEYS.token);
  Taro.removeStorageSync(STORAGE_KEYS.user);
}

export function getConsent(): StoredConsent | null {
  return read<StoredConsent>(STORAGE_KEYS.consent);
}

export function saveConsent(privacyPolicyVersion: string): StoredConsent {
  const consent: StoredConsent = {
    privacyPolicyVersion,
    healthData: true,
    acceptedAt: new Date().toISOString(),
  };
  Taro.setStorageSync(STORAGE_KEYS.consent, consent);
  return consent;
}

export function clearConsent(): void {
  Taro.removeStorageSync(STORAGE_KEYS.consent);
}
