import { request } from "./request";
import type { Health, PlatformConfig } from "./types";

export function getConfig(): Promise<PlatformConfig> {
  return request<PlatformConfig>({ path: "/v1/config", anonymous: true });
}

export function health(): Promise<Health> {
  return request<Health>({ path: "/v1/health", anonymous: true, silent: true });
}
