import { CURRENT_VERSIONS } from "../../shared/settings.js";
import { ApiError } from "../lib/errors.js";

/** A client quoting a text version other than the current one must show the new text first. */
export function assertCurrentVersions(quoted: { agreementVersion?: string; privacyPolicyVersion?: string }) {
  for (const field of ["agreementVersion", "privacyPolicyVersion"] as const) {
    const value = quoted[field];
    if (value !== undefined && value !== CURRENT_VERSIONS[field]) {
      throw new ApiError(409, "VERSION_OUTDATED", "协议或隐私政策已更新，请阅读并同意新版本", [
        { path: field, message: `当前版本为 ${CURRENT_VERSIONS[field]}` },
      ]);
    }
  }
}
