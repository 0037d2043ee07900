import { request } from "./request";
import type { CentreSettings, UpdateCentreSettingsRequest } from "./types";

const enc = encodeURIComponent;

/** getCentreSettings — the centre's values with the defaults filled in, and the latest changes. */
export function getCentreSettings(centreId: string): Promise<CentreSettings> {
  return request<CentreSettings>({ path: `/v1/centres/${enc(centreId)}/settings` });
}

/** updateCentreSettings — only the changed fields; a 400 names the field out of bounds (shown by the form). */
export function updateCentreSettings(
  centreId: string,
  body: UpdateCentreSettingsRequest,
): Promise<CentreSettings> {
  return request<CentreSettings>({
    method: "PUT",
    path: `/v1/centres/${enc(centreId)}/settings`,
    data: body,
    silent: true,
  });
}
