import * as z from "zod/mini";
import { EntitlementType } from "./contracts.js";

/** The monthly report (家庭医生式服务月报表): one row per team plus a centre total. */
export const MonthString = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, "月份格式应为 YYYY-MM"));

export const MonthlyReportQuery = z.object({
  month: z.optional(MonthString),
  format: z._default(z.enum(["json", "csv", "xlsx"]), "json"),
});

const ServiceFigure = z.object({
  delivered: z.int(),
  /** A month's share (1/12) of the yearly entitlements of the team's running contracts. */
  entitled: z.number(),
  /** delivered / entitled, null when nothing was due. */
  fulfilmentRate: z.nullable(z.number()),
});

export const ReportRow = z.object({
  /** The team's id, or "total" for the centre row. */
  key: z.string(),
  name: z.string(),
  signedHouseholds: z.int(),
  signedPersons: z.int(),
  contractsNew: z.int(),
  contractsRenewed: z.int(),
  contractsTerminated: z.int(),
  /** Persons with a running contract who were in a priority group at signing, at month end. */
  prioritySigned: z.int(),
  /** prioritySigned / persons with a running contract, at month end (0–1). */
  prioritySigningRate: z.nullable(z.number()),
  services: z.partialRecord(EntitlementType, ServiceFigure),
  servicesDelivered: z.int(),
  fulfilmentRate: z.nullable(z.number()),
  /**
   * From the team's work-list (issue 16), at month end: chronic patients with a running contract,
   * those not behind the pro-rata follow-up schedule (chronic patients − open `followup_behind`
   * items) and their share (null with no chronic patient).
   */
  chronicPatients: z.int(),
  chronicOnSchedule: z.int(),
  chronicOnScheduleRate: z.nullable(z.number()),
  /**
   * Persons with a running contract whose annual assessment of the current contract year is done,
   * at month end, and their share of the persons with a running contract (null with none).
   */
  assessmentsDone: z.int(),
  assessmentRate: z.nullable(z.number()),
  appointmentsBooked: z.int(),
  appointmentsCompleted: z.int(),
  appointmentsCancelled: z.int(),
  appointmentsNoShow: z.int(),
  noticesSent: z.int(),
  noticesDelivered: z.int(),
  noticesRead: z.int(),
  lectures: z.int(),
  lectureRegistrations: z.int(),
  lectureAttendance: z.int(),
  /** Responses with a rating ≤ 2 given this month, those followed up (回访) and those resolved. */
  lowScores: z.int(),
  lowScoresFollowedUp: z.int(),
  lowScoresResolved: z.int(),
  satisfactionResponses: z.int(),
  /** Mean of all ratings; null under the 5-response floor. */
  satisfactionAverage: z.nullable(z.number()),
});
export type ReportRow = z.infer<typeof ReportRow>;

/** Set once the month is closed: when, and which revision the figures are (0 = as closed). */
export const MonthClosed = z.object({ closedAt: z.string(), revision: z.int() });

/** A later change to a closed month's facts: its date and each figure it changed. */
export const MonthRevision = z.object({
  revision: z.int(),
  at: z.string(),
  changes: z.array(
    z.object({
      /** The row: a team's id (a centre's, in the district report) or "total". */
      key: z.string(),
      /** The row's field, `services.<type>.<field>` for a service figure. */
      field: z.string(),
      from: z.nullable(z.union([z.number(), z.string(), z.boolean()])),
      to: z.nullable(z.union([z.number(), z.string(), z.boolean()])),
    }),
  ),
});

export const MonthlyReport = z.object({
  centreId: z.string(),
  centreName: z.string(),
  month: MonthString,
  generatedAt: z.string(),
  teams: z.array(ReportRow),
  total: ReportRow,
  /**
   * Signing coverage against the 2022 guideline's 2035 targets, when the centre's population
   * (residents of its area, and of them in priority groups) has been set; null until then.
   */
  coverage: z.optional(
    z.nullable(
      z.object({
        population: z.int(),
        priorityPopulation: z.int(),
        overall: z.number(),
        priority: z.number(),
        targets: z.object({ overall: z.number(), priority: z.number() }),
      }),
    ),
  ),
  /**
   * null while the month is open (the current month is live; a past one not closed yet is computed
   * from its facts); once closed, its figures stay as closed unless a revision changes them.
   */
  closed: z.optional(z.nullable(MonthClosed)),
  /** The closed month's revisions, oldest first; the figures are those of the latest. */
  revisions: z.optional(z.array(MonthRevision)),
});
export type MonthlyReport = z.infer<typeof MonthlyReport>;

export const DistrictIdParams = z.object({
  districtId: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, "无效的编号")),
});

const Coverage = z.object({
  /** The centre's id, or "total" for the district (over the centres whose population is set). */
  key: z.string(),
  population: z.int(),
  priorityPopulation: z.int(),
  overall: z.number(),
  priority: z.number(),
  targets: z.object({ overall: z.number(), priority: z.number() }),
  meetsTargets: z.object({ overall: z.boolean(), priority: z.boolean() }),
});

/** districtMonthlyReport: one row per centre (its total) plus the district total, the monthly report's columns. */
export const DistrictMonthlyReport = z.object({
  districtId: z.string(),
  districtName: z.string(),
  month: MonthString,
  generatedAt: z.string(),
  centres: z.array(ReportRow),
  total: ReportRow,
  coverage: z.array(Coverage),
  /** Set once every centre's month is closed: the latest closing. */
  closed: z.optional(z.nullable(z.object({ closedAt: z.string() }))),
  /** Each centre's revisions of the month (`changes[].key` names the centre's team or "total"). */
  revisions: z.optional(z.array(z.extend(MonthRevision, { centreId: z.string() }))),
});
export type DistrictMonthlyReport = z.infer<typeof DistrictMonthlyReport>;
