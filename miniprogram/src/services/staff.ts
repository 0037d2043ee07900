import type {
  ClaimInvitationBody,
  InvitationBody,
  Invitation as InvitationSchema,
  OpenInvitation as OpenInvitationSchema,
  StaffMember as StaffMemberSchema,
  UpdateStaffBody,
} from "@shared/schemas/identity";
import type { z } from "zod";
import { request } from "./request";
import { saveSession } from "./session";
import type { AuthResult, ListResponse, Team } from "./types";

/** Staff onboarding and membership (manager pages and the claim page of the staff subpackage). */
export type Invitation = z.infer<typeof InvitationSchema>;
export type OpenInvitation = z.infer<typeof OpenInvitationSchema>;
export type StaffMember = z.infer<typeof StaffMemberSchema>;
export type CreateInvitationRequest = z.input<typeof InvitationBody>;
export type UpdateStaffRequest = z.input<typeof UpdateStaffBody>;
export type ClaimRequest = z.input<typeof ClaimInvitationBody>;
export type CentreRole = OpenInvitation["role"];

const enc = encodeURIComponent;

/** createInvitation — the page shows 400s and other refusals itself. */
export function createInvitation(centreId: string, body: CreateInvitationRequest): Promise<Invitation> {
  return request<Invitation>({
    method: "POST",
    path: `/v1/centres/${enc(centreId)}/invitations`,
    data: body,
    silent: true,
  });
}

export function listInvitations(
  centreId: string,
  cursor?: string | null,
): Promise<ListResponse<OpenInvitation>> {
  return request<ListResponse<OpenInvitation>>({
    path: `/v1/centres/${enc(centreId)}/invitations`,
    query: { limit: 50, cursor: cursor ?? undefined },
  });
}

export function revokeInvitation(centreId: string, code: string): Promise<OpenInvitation> {
  return request<OpenInvitation>({
    method: "DELETE",
    path: `/v1/centres/${enc(centreId)}/invitations/${enc(code)}`,
  });
}

export function listStaff(centreId: string, cursor?: string | null): Promise<ListResponse<StaffMember>> {
  return request<ListResponse<StaffMember>>({
    path: `/v1/centres/${enc(centreId)}/staff`,
    query: { limit: 100, cursor: cursor ?? undefined },
  });
}

export function updateStaff(
  centreId: string,
  userId: string,
  body: UpdateStaffRequest,
): Promise<StaffMember> {
  return request<StaffMember>({
    method: "PUT",
    path: `/v1/centres/${enc(centreId)}/staff/${enc(userId)}`,
    data: body,
  });
}

export function removeStaff(centreId: string, userId: string): Promise<{ userId: string; removed: true }> {
  return request<{ userId: string; removed: true }>({
    method: "DELETE",
    path: `/v1/centres/${enc(centreId)}/staff/${enc(userId)}`,
  });
}

/** Every team of the centre (all pages, bounded): the manager picks one to invite into or move to. */
export async function listAllTeams(centreId: string): Promise<Team[]> {
  const teams: Team[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const res: ListResponse<Team> = await request<ListResponse<Team>>({
      path: `/v1/centres/${enc(centreId)}/teams`,
      query: { limit: 100, cursor: cursor ?? undefined },
    });
    teams.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return teams;
}

/** claimInvitation — answers a new token carrying the role: stored at once as the session. */
export async function claimInvitation(body: ClaimRequest): Promise<AuthResult> {
  const result = await request<AuthResult>({
    method: "POST",
    path: "/v1/invitations/claim",
    data: body,
    silent: true,
  });
  saveSession(result.token, result.user);
  return result;
}

/** What a share QR code holds: a prefix, so a scan of anything else is recognised as not ours. */
export const INVITE_QR_PREFIX = "jiayi-invite:";
export const inviteQrText = (code: string) => `${INVITE_QR_PREFIX}${code}`;

/** The code in a scanned text or a typed one (spaces and dashes dropped, upper case); null if none. */
export function invitationCodeFrom(text: string): string | null {
  const raw = text.trim().startsWith(INVITE_QR_PREFIX) ? text.trim().slice(INVITE_QR_PREFIX.length) : text;
  const code = raw.trim().toUpperCase().replace(/[\s-]/g, "");
  return /^[0-9A-Z]{4,32}$/.test(code) ? code : null;
}
