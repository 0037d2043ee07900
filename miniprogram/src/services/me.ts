import { request } from "./request";
import type {
  AddFamilyMemberRequest,
  Centre,
  DeleteAccountResult,
  ExportData,
  FamilyMember,
  ListResponse,
  MaskedProfile,
  Me,
  RemovedFamilyMember,
  UpdateFamilyMemberRequest,
  UpdateProfileRequest,
} from "./types";

export function getMe(): Promise<Me> {
  return request<Me>({ path: "/v1/me" });
}

/** The 400 details are mapped onto the form by the page, so the toast stays generic there. */
export function updateMyProfile(body: UpdateProfileRequest): Promise<MaskedProfile> {
  return request<MaskedProfile>({ method: "PUT", path: "/v1/me/profile", data: body });
}

/** The family page shows every failure inline (one error surface), so no toast. */
export function addFamilyMember(body: AddFamilyMemberRequest): Promise<FamilyMember> {
  return request<FamilyMember>({ method: "POST", path: "/v1/me/family", data: body, silent: true });
}

/** updateFamilyMember — name, relation, phone (omitted: unchanged; null: removed). Errors shown inline. */
export function updateFamilyMember(
  residentId: string,
  body: UpdateFamilyMemberRequest,
): Promise<FamilyMember> {
  return request<FamilyMember>({
    method: "PUT",
    path: `/v1/me/family/${encodeURIComponent(residentId)}`,
    data: body,
    silent: true,
  });
}

/** removeFamilyMember — 409 FAMILY_MEMBER_SIGNED while a contract is pending or running. Errors shown inline. */
export function removeFamilyMember(residentId: string): Promise<RemovedFamilyMember> {
  return request<RemovedFamilyMember>({
    method: "DELETE",
    path: `/v1/me/family/${encodeURIComponent(residentId)}`,
    silent: true,
  });
}

export function listCentres(options: { silent?: boolean } = {}): Promise<ListResponse<Centre>> {
  return request<ListResponse<Centre>>({
    path: "/v1/centres",
    query: { limit: 100 },
    silent: options.silent,
  });
}

/** exportMyData — everything we hold about the caller, as JSON. */
export function exportMyData(): Promise<ExportData> {
  return request<ExportData>({ path: "/v1/me/export" });
}

export function deleteMyAccount(): Promise<DeleteAccountResult> {
  return request<DeleteAccountResult>({ method: "DELETE", path: "/v1/me" });
}
