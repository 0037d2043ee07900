/**
 * Request and response types of the identity and platform operations: inferred from the shared zod
 * schemas (the API contract). Type-only imports, so no zod code reaches the mini-program bundle.
 */
import type {
  Centre as CentreSchema,
  DeleteAccountResponse as DeleteAccountSchema,
  DevLoginBody,
  ExportResponse as ExportSchema,
  FamilyMemberBody,
  FamilyMember as FamilyMemberSchema,
  LoginResponse as LoginSchema,
  MeResponse as MeSchema,
  ProfileBody,
  Profile as ProfileSchema,
  WechatLoginBody,
} from "@shared/schemas/identity";
import type { ConfigResponse } from "@shared/schemas/platform";
import type { z } from "zod";

export type AuthResult = z.infer<typeof LoginSchema>;
export type DevLoginRequest = z.infer<typeof DevLoginBody>;
export type WechatLoginRequest = z.infer<typeof WechatLoginBody>;

/** A resident profile as the API returns it: identifiers are masked, never raw. */
export type MaskedProfile = z.infer<typeof ProfileSchema>;
export type FamilyMember = z.infer<typeof FamilyMemberSchema>;
export type Me = z.infer<typeof MeSchema>;
export type UpdateProfileRequest = z.input<typeof ProfileBody>;
export type AddFamilyMemberRequest = z.input<typeof FamilyMemberBody>;
export type Centre = z.infer<typeof CentreSchema>;
export type Neighbourhood = Centre["neighbourhoods"][number];
export type ExportData = z.infer<typeof ExportSchema>;
export type DeleteAccountResult = z.infer<typeof DeleteAccountSchema>;
export type PlatformConfig = z.infer<typeof ConfigResponse>;
/** API.md "Lists": every list answers `{items, nextCursor}` (shared/schemas/common.ts listOf). */
export interface ListResponse<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Health {
  status: "ok";
}
