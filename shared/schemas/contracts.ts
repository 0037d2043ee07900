import * as z from "zod/mini";
import { PriorityGroup, ServiceType, Sex } from "../enums.js";
import { DateString, DateTimeString, EntityId, Fen, PageQuery } from "./common.js";

/** What a package promises: services, and health education, which is not a bookable service type. */
export const EntitlementType = z.enum([...ServiceType.options, "health_education"]);
export type EntitlementType = z.infer<typeof EntitlementType>;

export const ENTITLEMENT_NAMES: Record<EntitlementType, string> = {
  consultation: "全科诊疗/主动咨询",
  annual_assessment: "年度健康评估",
  chronic_followup: "慢病随访",
  home_visit: "上门服务",
  physical_exam: "健康体检",
  child_health: "儿童保健",
  prenatal: "产前检查",
  health_education: "健康教育",
};

export const CONTRACT_STATUSES = [
  "pending",
  "active",
  "scheduled",
  "terminating",
  "terminated",
  "rejected",
  "withdrawn",
  "renewed",
  "switched",
] as const;
export const ContractStatus = z.enum(CONTRACT_STATUSES);
export type ContractStatus = z.infer<typeof ContractStatus>;

export const CONTRACT_STATUS_NAMES: Record<ContractStatus, string> = {
  pending: "待审核",
  active: "已签约",
  scheduled: "改签待生效",
  terminating: "解约中",
  terminated: "已解约",
  rejected: "已拒签",
  withdrawn: "已撤回",
  renewed: "已续签",
  switched: "已改签",
};

export const TERMINATION_REASONS = [
  "moved_out",
  "unreachable_one_year",
  "refused_service_one_year",
  "resident_choice",
  "death",
  "other",
] as const;
export const TerminationReason = z.enum(TERMINATION_REASONS);
export const TERMINATION_REASON_NAMES: Record<z.infer<typeof TerminationReason>, string> = {
  moved_out: "迁出服务区域",
  unreachable_one_year: "连续一年无法联系",
  refused_service_one_year: "连续一年拒绝服务",
  resident_choice: "居民本人意愿",
  death: "死亡",
  other: "其他",
};

/** Ends no one asked for: the resident's account was erased; a scheduled switch was cancelled. */
export const CONTRACT_END_REASONS = ["account_erased", "switch_cancelled"] as const;
export const ContractEndReason = z.enum(CONTRACT_END_REASONS);
export type ContractEndReason = z.infer<typeof ContractEndReason>;
export const CONTRACT_END_REASON_NAMES: Record<ContractEndReason, string> = {
  account_erased: "账号已注销",
  switch_cancelled: "改签已取消",
};

export const TeamMember = z.object({
  name: z.string(),
  role: z.enum(["doctor", "nurse", "public_health"]),
  /** Whether this member may approve the team's applications: a staff account bound to the team. */
  mayApprove: z.boolean(),
});
export const Team = z.object({
  teamId: z.string(),
  centreId: z.string(),
  name: z.string(),
  members: z.array(TeamMember),
  capacityHouseholds: z.int(),
  signedHouseholds: z.int(),
  remainingHouseholds: z.int(),
  signedPersons: z.int(),
  /** The team's service line (work landline) for the resident's call button; null where unset. */
  servicePhone: z.optional(z.nullable(z.string())),
});
export type Team = z.infer<typeof Team>;

export const CreateTeamBody = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  capacityHouseholds: z.optional(z.int().check(z.minimum(1), z.maximum(800, "团队签约户数上限为 800 户"))),
  members: z._default(
    z
      .array(
        z.object({
          name: z.string().check(z.trim(), z.minLength(1), z.maxLength(30)),
          role: TeamMember.shape.role,
        }),
      )
      .check(z.maxLength(10)),
    [],
  ),
});
export const TeamCapacityBody = z.object({
  capacityHouseholds: z.int().check(z.minimum(1), z.maximum(800, "团队签约户数上限为 800 户")),
});

export const PackageItem = z.object({
  type: EntitlementType,
  name: z.string(),
  timesPerYear: z.int().check(z.minimum(1)),
});
export const ServicePackage = z.object({
  packageId: z.string(),
  centreId: z.string(),
  name: z.string(),
  description: z.string(),
  basic: z.boolean(),
  /** Empty: for everyone. Otherwise the resident must be in one of these groups. */
  targetGroups: z.array(PriorityGroup),
  items: z.array(PackageItem),
  feeFen: Fen,
  subsidyFen: Fen,
  residentPaysFen: Fen,
  validFrom: DateString,
  validTo: z.nullable(DateString),
});
export type ServicePackage = z.infer<typeof ServicePackage>;

export const ApplyContractBody = z.object({
  residentId: EntityId,
  teamId: EntityId,
  packageIds: z._default(z.array(EntityId).check(z.maxLength(10)), []),
  agreementVersion: z.string().check(z.minLength(1), z.maxLength(20)),
  signature: z.object({ confirmed: z.literal(true, "请确认签署协议") }),
  /** 改签: apply to another team to take over when the current contract ends. */
  switchFromContractId: z.optional(EntityId),
});
export type ApplyContractBody = z.infer<typeof ApplyContractBody>;

export const Entitlement = z.object({
  type: EntitlementType,
  name: z.string(),
  entitled: z.int(),
  delivered: z.int(),
});

export const ContractResident = z.object({
  name: z.string(),
  sex: Sex,
  birthDate: DateString,
  idNumberMasked: z.string(),
  phoneMasked: z.nullable(z.string()),
  groups: z.array(PriorityGroup),
});

export const Contract = z.object({
  contractId: z.string(),
  residentId: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  centreId: z.string(),
  status: ContractStatus,
  statusName: z.string(),
  term: z.int(),
  packageIds: z.array(z.string()),
  packages: z.array(
    z.object({ packageId: z.string(), name: z.string(), feeFen: Fen, subsidyFen: Fen, residentPaysFen: Fen }),
  ),
  feeFen: Fen,
  subsidyFen: Fen,
  residentPaysFen: Fen,
  agreementVersion: z.string(),
  appliedAt: DateTimeString,
  startDate: z.nullable(DateString),
  endDate: z.nullable(DateString),
  /** When a terminated contract actually ended (its endDate is the term it would have run). */
  terminatedAt: z.nullable(DateTimeString),
  resident: z.nullable(ContractResident),
  termination: z.nullable(
    z.object({
      requestedBy: z.enum(["resident", "team"]),
      reason: TerminationReason,
      note: z.optional(z.string()),
      requestedAt: DateTimeString,
    }),
  ),
  rejectReason: z.nullable(z.string()),
  /** Pending longer than the review deadline (72 h by default). */
  overdue: z.boolean(),
  entitlements: z.array(Entitlement),
  previousContractId: z.nullable(z.string()),
  switchFromContractId: z.nullable(z.string()),
  /** A switch approved and waiting for this contract's end (cancellable until then). */
  switchToContractId: z.nullable(z.string()),
  endReason: z.nullable(ContractEndReason),
});
export type Contract = z.infer<typeof Contract>;

export const ContractIdParams = z.object({ contractId: EntityId });
export const TeamIdParams = z.object({ teamId: EntityId });
export const TeamContractsQuery = z.extend(PageQuery, {
  status: z.optional(ContractStatus),
  /** Search: part of the resident's name or of the masked phone (e.g. its last 4 digits). */
  q: z.optional(
    z.string().check(z.trim(), z.minLength(1, "请输入姓名或手机号后4位"), z.maxLength(20, "最多 20 个字")),
  ),
});
export const RejectBody = z.object({
  reason: z.string().check(z.trim(), z.minLength(1, "请填写拒签原因"), z.maxLength(200)),
});
export const TerminationBody = z.object({
  reason: TerminationReason,
  note: z.optional(z.string().check(z.trim(), z.maxLength(200))),
});

export const RecordServiceBody = z.object({
  type: EntitlementType,
  deliveredAt: DateTimeString,
  place: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  notes: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  outcome: z.optional(z.string().check(z.trim(), z.maxLength(200))),
});
export const ServiceRecord = z.object({
  serviceId: z.string(),
  contractId: z.string(),
  type: EntitlementType,
  deliveredAt: DateTimeString,
  place: z.string(),
  notes: z.nullable(z.string()),
  outcome: z.nullable(z.string()),
  staffName: z.string(),
  source: z.enum(["manual", "appointment", "lecture"]),
  /** True when an earlier request with the same Idempotency-Key already recorded it. */
  duplicate: z.optional(z.boolean()),
});

export const ContractEvent = z.object({
  at: DateTimeString,
  event: z.string(),
  from: z.nullable(ContractStatus),
  to: ContractStatus,
  byRole: z.enum(["resident", "team", "manager", "system"]),
  reason: z.nullable(z.string()),
});
