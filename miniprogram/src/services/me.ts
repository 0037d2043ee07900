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
  UpdateProfileRequest,
} from "./types";

export function getMe(): Promise<Me> {
  return request<Me>({ path: "/v1/me" });
}

/** The 400 details are mapped onto the form by the page, so the toast stays generic there. */
export function updateMyProfile(body: UpdateProfileRequest): Promise<MaskedProfile> {
  return request<MaskedProfile>({ method: "PUT", path: "/v1/me/profile", data: body });
}

export function addFamilyMember(body: AddFamilyMemberRequest): Promise<FamilyMember> {
  return request<FamilyMember>({ method: "POST", path: "/v1/me/family", data: body });
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
