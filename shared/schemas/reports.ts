import { z } from "zod";
import { EntitlementType } from "./contracts.js";

/** The monthly report (家庭医生式服务月报表): one row per team plus a centre total. */
export const MonthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "月份格式应为 YYYY-MM");

export const MonthlyReportQuery = z.object({
  month: MonthString.optional(),
  format: z.enum(["json", "csv", "xlsx"]).default("json"),
});

const ServiceFigure = z.object({
  delivered: z.number().int(),
  /** A month's share (1/12) of the yearly entitlements of the team's running contracts. */
  entitled: z.number(),
  /** delivered / entitled, null when nothing was due. */
  fulfilmentRate: z.number().nullable(),
});

export const ReportRow = z.object({
  /** The team's id, or "total" for the centre row. */
  key: z.string(),
  name: z.string(),
  signedHouseholds: z.number().int(),
  signedPersons: z.number().int(),
  contractsNew: z.number().int(),
  contractsRenewed: z.number().int(),
  contractsTerminated: z.number().int(),
  /** Persons with a running contract who were in a priority group at signing, at month end. */
  prioritySigned: z.number().int(),
  /** prioritySigned / persons with a running contract, at month end (0–1). */
  prioritySigningRate: z.number().nullable(),
  services: z.partialRecord(EntitlementType, ServiceFigure),
  servicesDelivered: z.number().int(),
  fulfilmentRate: z.number().nullable(),
  appointmentsBooked: z.number().int(),
  appointmentsCompleted: z.number().int(),
  appointmentsCancelled: z.number().int(),
  appointmentsNoShow: z.number().int(),
  noticesSent: z.number().int(),
  noticesDelivered: z.number().int(),
  noticesRead: z.number().int(),
  lectures: z.number().int(),
  lectureRegistrations: z.number().int(),
  lectureAttendance: z.number().int(),
  satisfactionResponses: z.number().int(),
  /** Mean of all ratings; null under the 5-response floor. */
  satisfactionAverage: z.number().nullable(),
});
export type ReportRow = z.infer<typeof ReportRow>;

export const MonthlyReport = z.object({
  centreId: z.string(),
  centreName: z.string(),
  month: MonthString,
  generatedAt: z.string(),
  teams: z.array(ReportRow),
  total: ReportRow,
});
export type MonthlyReport = z.infer<typeof MonthlyReport>;
