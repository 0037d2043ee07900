import type { IdType, PriorityGroup, Relation, Role, Sex } from "@shared/enums";

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
} as const satisfies Record<Role, string>;

export const SEX_LABELS = { male: "男", female: "女" } as const satisfies Record<Sex, string>;

export const ID_TYPES = Object.keys(ID_TYPE_LABELS) as IdType[];
export const RELATIONS = Object.keys(RELATION_LABELS) as Relation[];

export function labelOf<K extends string>(labels: Record<K, string>, key: string | null | undefined): string {
  if (!key) return "";
  return (labels as Record<string, string>)[key] ?? key;
}
