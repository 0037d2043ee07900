import * as z from "zod/mini";

/** Fixed values of the public API (../shared/handbook/API.md "Fixed values"). */
/** `district` (区卫健委): read-only over the centres of one district. */
export const ROLES = ["resident", "doctor", "nurse", "public_health", "manager", "district"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const STAFF_ROLES = ["doctor", "nurse", "public_health"] as const satisfies readonly Role[];

export const ID_TYPES = [
  "resident_id_card",
  "household_register",
  "residence_permit",
  "hk_macao_taiwan_permit",
  "passport",
] as const;
export const IdType = z.enum(ID_TYPES);
export type IdType = z.infer<typeof IdType>;

export const PRIORITY_GROUPS = [
  "elderly",
  "elderly80",
  "children",
  "pregnant",
  "chronic",
  "disabled",
  "mental",
  "tuberculosis",
  "low_income",
] as const;
export const PriorityGroup = z.enum(PRIORITY_GROUPS);
export type PriorityGroup = z.infer<typeof PriorityGroup>;
/** Groups that follow from the birth date; the others are declared by the resident or the team. */
export const AGE_GROUPS = ["elderly", "elderly80", "children"] as const satisfies readonly PriorityGroup[];
type AgeGroup = (typeof AGE_GROUPS)[number];
const isAgeGroup = (group: PriorityGroup): group is AgeGroup =>
  (AGE_GROUPS as readonly string[]).includes(group);
export const DeclarableGroup = z.enum(
  PRIORITY_GROUPS.filter((group): group is Exclude<PriorityGroup, AgeGroup> => !isAgeGroup(group)),
);

export const SERVICE_TYPES = [
  "consultation",
  "annual_assessment",
  "chronic_followup",
  "home_visit",
  "physical_exam",
  "child_health",
  "prenatal",
] as const;
export const ServiceType = z.enum(SERVICE_TYPES);
export type ServiceType = z.infer<typeof ServiceType>;

export const RELATIONS = [
  "parent",
  "child",
  "spouse",
  "grandparent",
  "grandchild",
  "sibling",
  "other",
] as const;
export const Relation = z.enum(RELATIONS);
export type Relation = z.infer<typeof Relation>;

export const SEXES = ["male", "female"] as const;
export const Sex = z.enum(SEXES);
export type Sex = z.infer<typeof Sex>;
