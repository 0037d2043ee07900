/**
 * Request and response shapes of the identity and platform operations, as fixed by API.md.
 * Enumerations come from the shared zod enums (type-only imports: no zod in the bundle).
 * When shared/schemas/identity.ts lands, these aliases should become `z.infer<…>` re-exports.
 */
import type { IdType, PriorityGroup, Relation, Role, Sex } from "@shared/enums";
import type { DeclarableGroup } from "../lib/labels";

export interface AuthResult {
  token: string;
  expiresIn: number;
  user: { id: string; roles: Role[] };
}

export interface DevLoginRequest {
  openid: string;
}
export interface WechatLoginRequest {
  code: string;
}

/** A resident profile as the API returns it: identifiers are masked, never raw. */
export interface MaskedProfile {
  residentId: string;
  name: string;
  idType: IdType;
  idNumberMasked: string;
  phoneMasked: string;
  birthDate: string;
  sex: Sex;
  groups: PriorityGroup[];
  neighbourhoodId?: string;
  address?: string;
}

export interface FamilyMember {
  residentId: string;
  name: string;
  idType: IdType;
  idNumberMasked: string;
  relation: Relation;
  phoneMasked?: string | null;
  birthDate?: string;
  sex?: Sex;
  groups?: PriorityGroup[];
}

export interface Me {
  user: { id: string; roles: Role[]; teamId?: string; centreId?: string };
  profile: MaskedProfile | null;
  family: FamilyMember[];
}

export interface UpdateProfileRequest {
  name: string;
  idType: IdType;
  idNumber: string;
  phone: string;
  neighbourhoodId: string;
  address: string;
  /** Priority groups the resident declares (age groups are derived by the server). */
  groups: DeclarableGroup[];
  consents: { privacyPolicyVersion: string; healthData: true };
}

export interface AddFamilyMemberRequest {
  name: string;
  idType: IdType;
  idNumber: string;
  relation: Relation;
  phone?: string;
}

export interface Neighbourhood {
  neighbourhoodId: string;
  name: string;
}

export interface Centre {
  centreId: string;
  name: string;
  neighbourhoods: Neighbourhood[];
}

export interface ListResponse<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PlatformConfig {
  agreementVersion: string;
  privacyPolicyVersion: string;
  [setting: string]: unknown;
}

export interface Health {
  status: "ok";
}
