/**
 * Which platform the build runs on, as a function so component tests can exercise the WeChat-only
 * paths (the unit tests run Taro's H5 implementation).
 */
export function isWeapp(): boolean {
  return process.env.TARO_ENV === "weapp";
}
