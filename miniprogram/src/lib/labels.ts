import type { IdType, PriorityGroup, Relation, Role, Sex } from "@shared/enums";
import type {
  ContractEvent,
  ContractStatus,
  EntitlementType,
  TeamMember,
  TerminationReason,
} from "../services/types";

/**
 * Chinese labels for the API's fixed values. Runtime lists live here (not imported from shared/)
 * so the bundle does not pull in zod; `satisfies Record<…>` keeps them complete at compile time.
 */
export const ID_TYPE_LABELS = {
  resident_id_card: "居民身份证",
  household_register: "户口簿",
  residence_permit: "居住证",
  hk_macao_taiwan_permit: "港澳台居民居住证",
  passport: "护照",
} as const satisfies Record<IdType, string>;

export const RELATION_LABELS = {
  parent: "父母",
  child: "子女",
  spouse: "配偶",
  grandparent: "祖父母",
  grandchild: "孙子女",
  sibling: "兄弟姐妹",
  other: "其他",
} as const satisfies Record<Relation, string>;

export const GROUP_LABELS = {
  elderly: "65岁及以上老年人",
  elderly80: "80岁及以上老年人",
  children: "0–6岁儿童",
  pregnant: "孕产妇",
  chronic: "慢性病患者",
  disabled: "残疾人",
  mental: "严重精神障碍患者",
  tuberculosis: "肺结核患者",
  low_income: "低保/特困家庭",
} as const satisfies Record<PriorityGroup, string>;

/** Groups a resident declares; the age groups follow from the birth date (shared/enums AGE_GROUPS). */
export type DeclarableGroup = Exclude<PriorityGroup, "elderly" | "elderly80" | "children">;
export const DECLARABLE_GROUPS = [
  "chronic",
  "pregnant",
  "disabled",
  "mental",
  "tuberculosis",
  "low_income",
] as const satisfies readonly DeclarableGroup[];

export const ROLE_LABELS = {
  resident: "居民",
  doctor: "家庭医生",
  nurse: "社区护士",
  public_health: "公卫人员",
  manager: "中心管理员",
  district: "区卫健委",
} as const satisfies Record<Role, string>;

/** The roles a manager gives staff (invitations, member changes), in the order the pickers show. */
export const CENTRE_ROLE_OPTIONS = (["doctor", "nurse", "public_health", "manager"] as const).map(
  (value) => ({
    value,
    label: ROLE_LABELS[value],
  }),
);

export const SEX_LABELS = { male: "男", female: "女" } as const satisfies Record<Sex, string>;

export const ID_TYPES = Object.keys(ID_TYPE_LABELS) as IdType[];
export const RELATIONS = Object.keys(RELATION_LABELS) as Relation[];

export function labelOf<K extends string>(labels: Record<K, string>, key: string | null | undefined): string {
  if (!key) return "";
  return (labels as Record<string, string>)[key] ?? key;
}

// Contracts (签约). Mirrors of shared/schemas/contracts.ts (which imports zod at runtime).

export const CONTRACT_STATUS_LABELS = {
  pending: "待审核",
  active: "已签约",
  scheduled: "改签待生效",
  terminating: "解约中",
  terminated: "已解约",
  rejected: "已拒签",
  withdrawn: "已撤回",
  renewed: "已续签",
  switched: "已改签",
} as const satisfies Record<ContractStatus, string>;

/** Tag colours per status: green running, orange waiting, blue scheduled, red refused, grey ended. */
const TONE = {
  green: { background: "#e8f6ef", color: "#166a56" },
  orange: { background: "#fff3dc", color: "#8a5a00" },
  blue: { background: "#eef4fb", color: "#245a8d" },
  red: { background: "#fdecea", color: "#d93026" },
  grey: { background: "#eef1f0", color: "#5f6b66" },
} as const;
export const CONTRACT_STATUS_COLOURS = {
  pending: TONE.orange,
  active: TONE.green,
  scheduled: TONE.blue,
  terminating: TONE.orange,
  terminated: TONE.grey,
  rejected: TONE.red,
  withdrawn: TONE.grey,
  renewed: TONE.grey,
  switched: TONE.grey,
} as const satisfies Record<ContractStatus, { background: string; color: string }>;

export const TERMINATION_REASON_LABELS = {
  moved_out: "迁出服务区域",
  unreachable_one_year: "连续一年无法联系",
  refused_service_one_year: "连续一年拒绝服务",
  resident_choice: "居民本人意愿",
  death: "死亡",
  other: "其他",
} as const satisfies Record<TerminationReason, string>;
export const TERMINATION_REASONS = Object.keys(TERMINATION_REASON_LABELS) as TerminationReason[];

export const ENTITLEMENT_LABELS = {
  consultation: "全科诊疗/主动咨询",
  annual_assessment: "年度健康评估",
  chronic_followup: "慢病随访",
  home_visit: "上门服务",
  physical_exam: "健康体检",
  child_health: "儿童保健",
  prenatal: "产前检查",
  health_education: "健康教育",
} as const satisfies Record<EntitlementType, string>;

export const TEAM_ROLE_LABELS = {
  doctor: "全科医生",
  nurse: "社区护士",
  public_health: "防保人员",
} as const satisfies Record<TeamMember["role"], string>;

/** Contract history (listContractEvents `event`). Unknown events fall back to the new status. */
export const CONTRACT_EVENT_LABELS: Record<string, string> = {
  applied: "提交签约申请",
  approved: "团队审核通过",
  rejected: "团队拒绝签约",
  withdrawn: "撤回签约申请",
  termination_requested: "申请解约",
  terminated: "确认解约",
  ended_at_expiry: "到期结束",
  renewed: "到期续约",
  renewal_started: "续约生效",
  switched: "改签其他团队",
  switch_started: "改签生效",
};

export const ACTOR_LABELS = {
  resident: "居民",
  team: "签约团队",
  manager: "中心管理员",
  system: "系统",
} as const satisfies Record<ContractEvent["byRole"], string>;
