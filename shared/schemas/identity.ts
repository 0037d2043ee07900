import * as z from "zod/mini";
import { todayInChina } from "../dates.js";
import { DeclarableGroup, IdType, PriorityGroup, Relation, Role, Sex } from "../enums.js";
import { ID_NUMBER_MESSAGES, validateIdNumber } from "../id-number.js";
import { DateString, DateTimeString, EntityId } from "./common.js";

export const WechatLoginBody = z.object({ code: z.string().check(z.minLength(1), z.maxLength(128)) });
export const DevLoginBody = z.object({
  openid: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(64),
      z.regex(/^[A-Za-z0-9_-]+$/, "openid 只能包含字母、数字、下划线和短横线"),
    ),
});

export const SessionUser = z.object({
  id: z.string(),
  roles: z.array(Role),
  teamId: z.optional(z.string()),
  centreId: z.optional(z.string()),
  /** The district a `district` account reads. */
  districtId: z.optional(z.string()),
});
export const LoginResponse = z.object({ token: z.string(), expiresIn: z.int(), user: SessionUser });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const PersonName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, "请填写姓名"),
    z.maxLength(30, "姓名不能超过 30 个字"),
    z.regex(/^[\p{L}·• .'-]+$/u, "姓名只能包含文字、间隔号和空格"),
  );
export const MobilePhone = z.string().check(z.trim(), z.regex(/^1[3-9]\d{9}$/, "请输入 11 位中国大陆手机号"));
const PASSPORT = /^[A-Z0-9]{5,17}$/;

/** Identity document fields shared by a resident's own profile and a family member. */
const identityFields = {
  name: PersonName,
  idType: IdType,
  idNumber: z.string().check(z.trim(), z.minLength(1, "请填写证件号码"), z.maxLength(32)),
  /** Only for passports, whose number carries no birth date or sex. */
  birthDate: z.optional(DateString),
  sex: z.optional(Sex),
  declaredGroups: z.optional(z.array(DeclarableGroup).check(z.maxLength(6))),
};

type IdentityInput = { idType: z.infer<typeof IdType>; idNumber: string; birthDate?: string; sex?: string };

/** 18-digit numbers must pass GB 11643; passports must bring their own birth date and sex. */
export function checkIdentity(value: IdentityInput, ctx: z.core.$RefinementCtx) {
  if (value.idType === "passport") {
    if (!PASSPORT.test(value.idNumber.toUpperCase())) {
      ctx.addIssue({ code: "custom", path: ["idNumber"], message: "护照号码应为 5–17 位字母或数字" });
    }
    if (!value.birthDate)
      ctx.addIssue({ code: "custom", path: ["birthDate"], message: "使用护照时请填写出生日期" });
    else if (value.birthDate > todayInChina()) {
      ctx.addIssue({ code: "custom", path: ["birthDate"], message: "出生日期不能晚于今天" });
    }
    if (!value.sex) ctx.addIssue({ code: "custom", path: ["sex"], message: "使用护照时请选择性别" });
    return;
  }
  const result = validateIdNumber(value.idNumber, todayInChina());
  if (!result.ok)
    ctx.addIssue({ code: "custom", path: ["idNumber"], message: ID_NUMBER_MESSAGES[result.problem] });
}

export const Consents = z.object({
  privacyPolicyVersion: z.string().check(z.minLength(1), z.maxLength(20)),
  healthData: z.literal(true, "须单独同意处理健康信息"),
});

export const ProfileBody = z
  .object({
    ...identityFields,
    phone: MobilePhone,
    neighbourhoodId: EntityId,
    address: z
      .string()
      .check(z.trim(), z.minLength(1, "请填写详细地址"), z.maxLength(100, "地址不能超过 100 个字")),
    consents: Consents,
  })
  .check(z.superRefine(checkIdentity));
export type ProfileBody = z.infer<typeof ProfileBody>;

export const FamilyMemberBody = z
  .object({
    ...identityFields,
    relation: Relation,
    phone: z.optional(MobilePhone),
    /** The representative confirms the member (or their guardian) agreed; recorded with time. */
    consent: z.optional(z.object({ confirmed: z.literal(true, "须确认已获得其本人或监护人同意") })),
  })
  .check(z.superRefine(checkIdentity));
export type FamilyMemberBody = z.infer<typeof FamilyMemberBody>;

/** updateFamilyMember: what a representative may correct (a wrong ID number: remove and add again). */
export const UpdateFamilyMemberBody = z.object({
  name: PersonName,
  relation: Relation,
  /** Omitted: unchanged; null: removed. */
  phone: z.optional(z.nullable(MobilePhone)),
  declaredGroups: z.optional(z.array(DeclarableGroup).check(z.maxLength(6))),
});
export type UpdateFamilyMemberBody = z.infer<typeof UpdateFamilyMemberBody>;
export const FamilyMemberParams = z.object({ residentId: EntityId });
export const RemovedFamilyMember = z.object({
  residentId: z.string(),
  removed: z.literal(true),
  /** True when no one else acts for them and they have no account: their personal data is erased. */
  erased: z.boolean(),
});

const residentFields = {
  residentId: z.string(),
  name: z.string(),
  idType: IdType,
  idNumberMasked: z.string(),
  phoneMasked: z.nullable(z.string()),
  birthDate: DateString,
  sex: Sex,
  age: z.int(),
  groups: z.array(PriorityGroup),
  declaredGroups: z.array(DeclarableGroup),
};

export const Profile = z.object({
  ...residentFields,
  neighbourhoodId: z.string(),
  centreId: z.string(),
  address: z.string(),
  consents: z.object({
    privacyPolicyVersion: z.string(),
    privacyAcceptedAt: DateTimeString,
    healthData: z.boolean(),
    healthDataAcceptedAt: DateTimeString,
  }),
});
export type Profile = z.infer<typeof Profile>;

export const FamilyMember = z.object({
  ...residentFields,
  relation: Relation,
  consentRecordedAt: DateTimeString,
});
export type FamilyMember = z.infer<typeof FamilyMember>;

export const MeResponse = z.object({
  user: SessionUser,
  profile: z.nullable(Profile),
  family: z.array(FamilyMember),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const Centre = z.object({
  centreId: z.string(),
  name: z.string(),
  neighbourhoods: z.array(z.object({ neighbourhoodId: z.string(), name: z.string() })),
});
export type Centre = z.infer<typeof Centre>;

/** A role a manager hands out: team roles and manager (every account is a resident anyway). */
export const CentreRole = z.enum(["doctor", "nurse", "public_health", "manager"]);

export const InvitationBody = z.object({ role: CentreRole, teamId: z.optional(EntityId) }).check(
  z.refine((b) => b.role === "manager" || b.teamId, {
    path: ["teamId"],
    message: "团队成员邀请须指定团队",
  }),
);
export const Invitation = z.object({
  code: z.string(),
  expiresAt: DateTimeString,
  role: Role,
  teamId: z.optional(z.string()),
});
/** An invitation not yet claimed, revoked or expired, as the centre's manager sees it. */
export const OpenInvitation = z.object({
  code: z.string(),
  role: CentreRole,
  teamId: z.optional(z.string()),
  expiresAt: DateTimeString,
});
export type OpenInvitation = z.infer<typeof OpenInvitation>;
export const RevokedInvitation = z.extend(OpenInvitation, { revokedAt: DateTimeString });
export const InvitationParams = z.object({ centreId: EntityId, code: EntityId });

/** A staff member of the centre: the roles they hold there and their team (null for a manager only). */
export const StaffMember = z.object({
  userId: z.string(),
  name: z.string(),
  roles: z.array(CentreRole),
  teamId: z.nullable(z.string()),
});
export type StaffMember = z.infer<typeof StaffMember>;
export const StaffParams = z.object({ centreId: EntityId, userId: EntityId });
export const UpdateStaffBody = z.object({
  roles: z
    .array(CentreRole)
    .check(z.minLength(1, "至少保留一个角色；要移除成员请用移除操作"), z.maxLength(4)),
  /** The team for team roles; left out, the member stays in their current team. */
  teamId: z.optional(EntityId),
});
export const RemovedStaff = z.object({ userId: z.string(), removed: z.literal(true) });

export const ClaimInvitationBody = z.object({
  code: z.string().check(z.trim(), z.minLength(4), z.maxLength(32)),
  /** Shown to residents on the team card. */
  name: z.optional(PersonName),
});

export const ExportResponse = z.object({
  exportedAt: DateTimeString,
  user: SessionUser,
  profile: z.nullable(Profile),
  family: z.array(FamilyMember),
});
export const DeleteAccountResponse = z.object({
  deleted: z.literal(true),
  erasedResidents: z.int(),
});

export const ResidentIdParams = z.object({ residentId: EntityId });
export const CentreIdParams = z.object({ centreId: EntityId });

export const PopulationBody = z.object({
  /** Residents living in the centre's area (street/town statistics). */
  residents: z.int().check(z.minimum(1), z.maximum(10_000_000)),
  /** Of them, residents in priority groups. */
  priority: z.int().check(z.minimum(0), z.maximum(10_000_000)),
});
