import * as z from "zod/mini";
import { PriorityGroup, ServiceType } from "../enums.js";
import { DateString, DateTimeString, EntityId, listOf, PageQuery } from "./common.js";
import { EntitlementType } from "./contracts.js";

/** Proactive care (issue 16): the team's work-list, home-visit requests, contact reveals, the plan. */
export const WORKLIST_KINDS = [
  "review_overdue",
  "followup_behind",
  "assessment_due",
  "home_visit_requested",
  "home_visit_due",
  "renewal_at_risk",
  "not_reached",
  "unrecorded_visit",
] as const;
export const WorklistKind = z.enum(WORKLIST_KINDS);
export type WorklistKind = z.infer<typeof WorklistKind>;

export const WORKLIST_KIND_NAMES: Record<WorklistKind, string> = {
  review_overdue: "签约超时待审",
  followup_behind: "慢病随访落后",
  assessment_due: "年度评估待做",
  home_visit_requested: "上门服务申请",
  home_visit_due: "高龄老人待上门",
  renewal_at_risk: "续约风险",
  not_reached: "全年未触达",
  unrecorded_visit: "就诊未记录",
};

export const WorkItem = z.object({
  kind: WorklistKind,
  kindName: z.string(),
  residentId: z.string(),
  name: z.string(),
  groups: z.array(PriorityGroup),
  dueBy: DateString,
  reason: z.string(),
  lastDoneAt: z.optional(DateTimeString),
  /** What the item is about, for its action: the application, visit or request. */
  contractId: z.optional(z.string()),
  appointmentId: z.optional(z.string()),
  requestId: z.optional(z.string()),
  updatedAt: DateTimeString,
});
export type WorkItem = z.infer<typeof WorkItem>;

export const WorklistQuery = z.extend(PageQuery, { kind: z.optional(WorklistKind) });
/** Open items per kind (the team desk's badges), every kind present. */
export const WorklistCounts = z.object({
  review_overdue: z.int(),
  followup_behind: z.int(),
  assessment_due: z.int(),
  home_visit_requested: z.int(),
  home_visit_due: z.int(),
  renewal_at_risk: z.int(),
  not_reached: z.int(),
  unrecorded_visit: z.int(),
});
export const Worklist = z.extend(listOf(WorkItem), { counts: WorklistCounts });

export const HOME_VISIT_STATUSES = ["open", "scheduled", "declined", "completed"] as const;
export const HomeVisitStatus = z.enum(HOME_VISIT_STATUSES);
export type HomeVisitStatus = z.infer<typeof HomeVisitStatus>;
export const HOME_VISIT_STATUS_NAMES: Record<HomeVisitStatus, string> = {
  open: "待安排",
  scheduled: "已安排",
  declined: "未能安排",
  completed: "已完成",
};

export const RequestHomeVisitBody = z.object({
  residentId: EntityId,
  reason: z.string().check(z.trim(), z.minLength(1, "请填写申请原因"), z.maxLength(200)),
  preferredDates: z.array(DateString).check(z.maxLength(5)),
});
export const HomeVisitRequest = z.object({
  requestId: z.string(),
  residentId: z.string(),
  teamId: z.string(),
  status: HomeVisitStatus,
  statusName: z.string(),
  reason: z.string(),
  preferredDates: z.array(DateString),
  appointmentId: z.nullable(z.string()),
  startsAt: z.nullable(DateTimeString),
  declineReason: z.nullable(z.string()),
  createdAt: DateTimeString,
  updatedAt: DateTimeString,
});
export const RequestIdParams = z.object({ requestId: EntityId });
export const ScheduleHomeVisitBody = z.object({
  startsAt: DateTimeString,
  durationMinutes: z.int().check(z.minimum(10), z.maximum(240)),
});
export const DeclineHomeVisitBody = z.object({
  reason: z.string().check(z.trim(), z.minLength(1, "请填写原因"), z.maxLength(200)),
});

export const RevealContactBody = z.object({
  purpose: z.string().check(z.trim(), z.minLength(1, "请填写联系目的"), z.maxLength(100)),
  /** The work-list item the call is for, when it comes from one. */
  kind: z.optional(WorklistKind),
});
export const RevealedContact = z.object({ residentId: z.string(), phone: z.string() });

export const ContactAuditQuery = z.extend(PageQuery, { staffId: EntityId });
export const ContactAuditEntry = z.object({
  staffUserId: z.string(),
  residentId: z.string(),
  teamId: z.string(),
  purpose: z.string(),
  kind: z.nullable(WorklistKind),
  at: DateTimeString,
});

export const PlanItem = z.object({
  item: EntitlementType,
  name: z.string(),
  done: z.int(),
  expected: z.int(),
  dueBy: DateString,
  /** The slot type that books it ("book now"), or null for what is not booked (education). */
  serviceType: z.nullable(ServiceType),
});
export const ResidentPlan = z.object({
  residentId: z.string(),
  contractId: z.nullable(z.string()),
  startDate: z.nullable(DateString),
  endDate: z.nullable(DateString),
  items: z.array(PlanItem),
});
