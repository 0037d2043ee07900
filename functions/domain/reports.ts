import type { EntitlementType } from "../../shared/schemas/contracts.js";
import { ENTITLEMENT_NAMES } from "../../shared/schemas/contracts.js";
import type { MonthlyReport, ReportRow } from "../../shared/schemas/reports.js";
import { MIN_RESPONSES_FOR_AVERAGE } from "../../shared/schemas/surveys.js";
import { monthOf } from "./surveys.js";

/**
 * The monthly report's rules, pure: which counters a changed item moves (the stream projector
 * applies them), and how counters become report rows, CSV and spreadsheet columns.
 */
type Image = Record<string, unknown>;

export interface CounterChange {
  month: string;
  teamId: string | null;
  field: string;
  by: number;
}

export interface RunningChange {
  teamId: string;
  field: string;
  by: number;
}

export interface Projection {
  centreId: string;
  counters: CounterChange[];
  running: RunningChange[];
}

/**
 * The item types whose changes the stream projector reads (services/stats-projector.ts planChange);
 * the stream mapping's filter lets only their inserts and changes through.
 */
export const PROJECTED_TYPES = [
  "Contract",
  "Team",
  "Appointment",
  "Service",
  "Notice",
  "InboxMessage",
  "LectureRegistration",
  "SurveyResponse",
  "FollowUp",
  // Not counted: followed by the team's work-list (issue 16).
  "HomeVisitRequest",
] as const;

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
const RUNNING_STATUSES = ["active", "terminating"];
const isRunning = (image?: Image) => RUNNING_STATUSES.includes(String(image?.status ?? ""));
const hasGroups = (image?: Image) =>
  Array.isArray(image?.groupsAtSigning) && image.groupsAtSigning.length > 0;

/** Yearly entitlements of a contract image: `ent_<type>` → times per year. */
function entitlementsOf(image: Image): Map<string, number> {
  const out = new Map<string, number>();
  const packages = Array.isArray(image.packages) ? (image.packages as { items?: unknown }[]) : [];
  for (const pkg of packages) {
    for (const item of Array.isArray(pkg.items)
      ? (pkg.items as { type?: unknown; timesPerYear?: unknown }[])
      : []) {
      const type = str(item.type);
      if (type) out.set(`ent_${type}`, (out.get(`ent_${type}`) ?? 0) + Number(item.timesPerYear ?? 0));
    }
  }
  return out;
}

/** A Contract changed: signings, renewals and terminations of the month, and the team's running figures. */
export function projectContract(
  old: Image | undefined,
  next: Image | undefined,
  at: string,
): Projection | null {
  const image = next ?? old;
  const centreId = str(image?.centreId);
  const teamId = str(image?.teamId);
  if (!image || !centreId || !teamId || !next) return null;
  const month = monthOf(at);
  const counters: CounterChange[] = [];
  const count = (field: string) => counters.push({ month, teamId, field, by: 1 });
  const wasStatus = str(old?.status);
  const status = str(next.status);
  if (status !== wasStatus) {
    if (status === "active" && !isRunning(old)) {
      if (!old && str(next.previousContractId)) count("contractsRenewed");
      else {
        count("contractsNew");
        if (hasGroups(next)) count("priorityNew");
      }
    }
    if (status === "terminated") count("contractsTerminated");
    if (status === "switched") count("contractsSwitchedOut");
  }
  const delta = (isRunning(next) ? 1 : 0) - (isRunning(old) ? 1 : 0);
  const running: RunningChange[] = [];
  if (delta !== 0) {
    const source = delta > 0 ? next : (old as Image);
    running.push({ teamId, field: "activePersons", by: delta });
    if (hasGroups(source)) running.push({ teamId, field: "priorityPersons", by: delta });
    for (const [field, times] of entitlementsOf(source)) running.push({ teamId, field, by: delta * times });
  }
  // The same changes as the month's net movement, so a month's end is its facts' sum (month-closing.ts).
  for (const r of running) counters.push({ month, teamId, field: `${NET}${r.field}`, by: r.by });
  if (!counters.length && !running.length) return null;
  return { centreId, counters, running };
}

/** Prefix of the counters that carry a month's net movement of a month-end figure. */
export const NET = "net_";

/**
 * A Team changed: the net movement of its signed households and persons in the month of the
 * change (the Team item is written by the signing transactions; its stream record carries both).
 */
export function projectTeam(old: Image | undefined, next: Image | undefined, at: string): Projection | null {
  const centreId = str(next?.centreId);
  const teamId = str(next?.teamId);
  if (!next || !centreId || !teamId) return null;
  const month = monthOf(at);
  const counters: CounterChange[] = [];
  for (const field of ["signedHouseholds", "signedPersons"]) {
    const by = Number(next[field] ?? 0) - Number(old?.[field] ?? 0);
    if (by) counters.push({ month, teamId, field: `${NET}${field}`, by });
  }
  return counters.length ? { centreId, counters, running: [] } : null;
}

const APPOINTMENT_OUTCOMES: Record<string, string> = {
  completed: "appointmentsCompleted",
  cancelled: "appointmentsCancelled",
  no_show: "appointmentsNoShow",
  unrecorded: "appointmentsUnrecorded",
};

/** An Appointment changed: counted in the month of the visit. */
export function projectAppointment(old: Image | undefined, next: Image | undefined): Projection | null {
  const centreId = str(next?.centreId);
  const teamId = str(next?.teamId) ?? null;
  const date = str(next?.date);
  if (!next || !centreId || !date) return null;
  const month = date.slice(0, 7);
  const counters: CounterChange[] = [];
  if (!old) counters.push({ month, teamId, field: "appointmentsBooked", by: 1 });
  const status = String(next.status ?? "");
  const before = String(old?.status ?? "");
  if (status !== before && APPOINTMENT_OUTCOMES[status])
    counters.push({ month, teamId, field: APPOINTMENT_OUTCOMES[status] as string, by: 1 });
  // A corrected outcome (unrecorded → completed, completed → no-show) moves between the counts.
  if (status !== before && APPOINTMENT_OUTCOMES[before] && before !== "cancelled")
    counters.push({ month, teamId, field: APPOINTMENT_OUTCOMES[before] as string, by: -1 });
  return counters.length ? { centreId, counters, running: [] } : null;
}

/** A delivered Service (new item): counted by type in the month delivered, on the contract's team. */
export function projectService(
  service: Image,
  contract: Image | undefined,
  by: 1 | -1 = 1,
): Projection | null {
  const centreId = str(contract?.centreId);
  const teamId = str(contract?.teamId) ?? null;
  const type = str(service.serviceType);
  const at = str(service.deliveredAt);
  if (!centreId || !type || !at) return null;
  return { centreId, counters: [{ month: monthOf(at), teamId, field: `svc_${type}`, by }], running: [] };
}

const isPublished = (image?: Image) =>
  image?.status === "published" || (!!image?.publishedAt && !image?.status);

/** A Notice published: sent (with its audience) and, for lectures, a lecture held. */
export function projectNotice(
  old: Image | undefined,
  next: Image | undefined,
  at: string,
): Projection | null {
  const centreId = str(next?.centreId);
  if (!next || !centreId || !isPublished(next) || isPublished(old)) return null;
  // The fan-out of a survey's invitations is not a notice sent.
  if (str(next.surveyId)) return null;
  const teamId = str(next.teamId) ?? null;
  const month = monthOf(str(next.publishedAt) ?? str(next.publishAt) ?? at);
  const counters: CounterChange[] = [
    { month, teamId, field: "noticesSent", by: 1 },
    { month, teamId, field: "noticeAudience", by: Number(next.audienceSize ?? 0) },
  ];
  if (next.kind === "lecture") counters.push({ month, teamId, field: "lectures", by: 1 });
  return { centreId, counters, running: [] };
}

/** An InboxMessage of a notice: delivered when written, read when first marked read (month sent). */
export function projectInbox(
  old: Image | undefined,
  next: Image | undefined,
  notice: Image | undefined,
  at: string,
) {
  const centreId = str(notice?.centreId);
  if (!next || !str(next.noticeId) || !centreId) return null;
  const teamId = str(notice?.teamId) ?? null;
  const month = monthOf(str(next.sentAt) ?? at);
  const counters: CounterChange[] = [];
  if (!old) counters.push({ month, teamId, field: "noticesDelivered", by: 1 });
  if (next.read === true && old?.read !== true) counters.push({ month, teamId, field: "noticesRead", by: 1 });
  return counters.length ? ({ centreId, counters, running: [] } satisfies Projection) : null;
}

/** A LectureRegistration: registered when written, attended when attendedAt first appears. */
export function projectRegistration(
  old: Image | undefined,
  next: Image | undefined,
  notice: Image | undefined,
  at: string,
): Projection | null {
  if (!next) return null;
  const centreId = str(next.centreId) ?? str(notice?.centreId);
  if (!centreId) return null;
  const teamId = str(next.teamId) ?? str(notice?.teamId) ?? null;
  const counters: CounterChange[] = [];
  if (!old)
    counters.push({
      month: monthOf(str(next.registeredAt) ?? at),
      teamId,
      field: "lectureRegistrations",
      by: 1,
    });
  const attendedAt = str(next.attendedAt);
  if (attendedAt && !str(old?.attendedAt))
    counters.push({ month: monthOf(attendedAt), teamId, field: "lectureAttendance", by: 1 });
  return counters.length ? { centreId, counters, running: [] } : null;
}

/** A SurveyResponse (written once): a low score counts in the month it was given, on the rated team. */
export function projectSurveyResponse(old: Image | undefined, next: Image | undefined): Projection | null {
  const centreId = str(next?.centreId);
  const month = str(next?.month);
  if (old || !next || !centreId || !month || next.low !== true) return null;
  const about = (next.about ?? {}) as Image;
  return {
    centreId,
    counters: [{ month, teamId: str(about.teamId) ?? null, field: "lowScores", by: 1 }],
    running: [],
  };
}

/**
 * A FollowUp of a low score: followed up when first assigned, resolved when closed with the outcome
 * "resolved", both in the low score's month. Only moves forward, so its current image counted as
 * one insert (the replay) moves the same counters as its changes did.
 */
export function projectFollowUp(old: Image | undefined, next: Image | undefined): Projection | null {
  const centreId = str(next?.centreId);
  const month = str(next?.responseMonth);
  if (!next || !centreId || !month) return null;
  const teamId = str(next.teamId) ?? null;
  const counters: CounterChange[] = [];
  if (!old) counters.push({ month, teamId, field: "lowScoresFollowedUp", by: 1 });
  const resolved = (image?: Image) => image?.status === "closed" && image.outcome === "resolved";
  if (resolved(next) && !resolved(old)) counters.push({ month, teamId, field: "lowScoresResolved", by: 1 });
  return counters.length ? { centreId, counters, running: [] } : null;
}

/** Report rows ---------------------------------------------------------------------------------- */

export interface TeamMonthFigures {
  /** Counters of the month (TEAM#… or CENTRE item). */
  counters: Record<string, number>;
  /** Month-end values (team snapshot or the team item); summed for the total. */
  signedHouseholds: number;
  signedPersons: number;
  activePersons: number;
  priorityPersons: number;
  entitled: Partial<Record<EntitlementType, number>>;
  satisfaction: { responses: number; sum: number; count: number };
  /** Month-end figures of the team's work-list (team snapshot of its counts, or the live counts). */
  care: CareFigures;
}

/** What the work-list contributes to the report (data/worklist-repo.ts keeps them, never a scan). */
export interface CareFigures {
  /** Chronic patients with a running contract (the work-list's `chronic` roster). */
  chronicPatients: number;
  /** Open `followup_behind` items: chronic patients behind the pro-rata schedule. */
  followupBehind: number;
  /** Persons with a running contract whose annual assessment of the contract year is done. */
  assessmentsDone: number;
}

export const NO_CARE: CareFigures = { chronicPatients: 0, followupBehind: 0, assessmentsDone: 0 };

/** The report's care figures out of a work-list counts item (live or a month's snapshot). */
export function careFiguresOf(counts: Record<string, unknown> | undefined): CareFigures {
  const n = (field: string) => Math.max(0, Number(counts?.[field] ?? 0) || 0);
  return {
    chronicPatients: n("chronicPatients"),
    followupBehind: n("followup_behind"),
    assessmentsDone: n("assessmentsDone"),
  };
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : null);

export function reportRow(key: string, name: string, f: TeamMonthFigures): ReportRow {
  const c = (field: string) => Number(f.counters[field] ?? 0);
  // Items and roster entries move in separate transactions (rosters first): never below zero.
  const onSchedule = Math.max(0, f.care.chronicPatients - f.care.followupBehind);
  const services: ReportRow["services"] = {};
  let delivered = 0;
  let entitledTotal = 0;
  const types = new Set<EntitlementType>([
    ...(Object.keys(f.entitled) as EntitlementType[]),
    ...(Object.keys(f.counters)
      .filter((k) => k.startsWith("svc_"))
      .map((k) => k.slice(4)) as EntitlementType[]),
  ]);
  for (const type of [...types].sort()) {
    const d = c(`svc_${type}`);
    const entitled = (f.entitled[type] ?? 0) / 12;
    services[type] = { delivered: d, entitled: round(entitled, 2), fulfilmentRate: ratio(d, entitled) };
    delivered += d;
    entitledTotal += entitled;
  }
  return {
    key,
    name,
    signedHouseholds: f.signedHouseholds,
    signedPersons: f.signedPersons,
    contractsNew: c("contractsNew"),
    contractsRenewed: c("contractsRenewed"),
    contractsTerminated: c("contractsTerminated"),
    prioritySigned: f.priorityPersons,
    prioritySigningRate: ratio(f.priorityPersons, f.activePersons),
    services,
    servicesDelivered: delivered,
    fulfilmentRate: ratio(delivered, entitledTotal),
    chronicPatients: f.care.chronicPatients,
    chronicOnSchedule: onSchedule,
    chronicOnScheduleRate: ratio(onSchedule, f.care.chronicPatients),
    assessmentsDone: f.care.assessmentsDone,
    assessmentRate: ratio(Math.min(f.care.assessmentsDone, f.activePersons), f.activePersons),
    appointmentsBooked: c("appointmentsBooked"),
    appointmentsCompleted: c("appointmentsCompleted"),
    appointmentsCancelled: c("appointmentsCancelled"),
    appointmentsNoShow: c("appointmentsNoShow"),
    noticesSent: c("noticesSent"),
    noticesDelivered: c("noticesDelivered"),
    noticesRead: c("noticesRead"),
    lectures: c("lectures"),
    lectureRegistrations: c("lectureRegistrations"),
    lectureAttendance: c("lectureAttendance"),
    lowScores: c("lowScores"),
    lowScoresFollowedUp: c("lowScoresFollowedUp"),
    lowScoresResolved: c("lowScoresResolved"),
    satisfactionResponses: f.satisfaction.responses,
    satisfactionAverage:
      f.satisfaction.responses >= MIN_RESPONSES_FOR_AVERAGE && f.satisfaction.count > 0
        ? round(f.satisfaction.sum / f.satisfaction.count, 2)
        : null,
  };
}

export function sumFigures(
  all: TeamMonthFigures[],
  centreCounters: Record<string, number>,
  centreSat: TeamMonthFigures["satisfaction"],
) {
  const total: TeamMonthFigures = {
    counters: centreCounters,
    signedHouseholds: 0,
    signedPersons: 0,
    activePersons: 0,
    priorityPersons: 0,
    entitled: {},
    satisfaction: centreSat,
    care: { ...NO_CARE },
  };
  for (const f of all) {
    total.care.chronicPatients += f.care.chronicPatients;
    total.care.followupBehind += f.care.followupBehind;
    total.care.assessmentsDone += f.care.assessmentsDone;
    total.signedHouseholds += f.signedHouseholds;
    total.signedPersons += f.signedPersons;
    total.activePersons += f.activePersons;
    total.priorityPersons += f.priorityPersons;
    for (const [type, n] of Object.entries(f.entitled) as [EntitlementType, number][])
      total.entitled[type] = (total.entitled[type] ?? 0) + n;
  }
  return total;
}

/** Columns of the CSV and the spreadsheet: Chinese header, value, and spreadsheet number format. */
export interface ReportColumn {
  header: string;
  value: (row: ReportRow) => string | number | null;
  numFmt?: string;
  width?: number;
}

const PERCENT = "0.0%";
const INTEGER = "#,##0";

export const REPORT_COLUMNS: ReportColumn[] = [
  { header: "团队", value: (r) => r.name, width: 24 },
  { header: "签约户数", value: (r) => r.signedHouseholds, numFmt: INTEGER },
  { header: "签约人数", value: (r) => r.signedPersons, numFmt: INTEGER },
  { header: "新签约", value: (r) => r.contractsNew, numFmt: INTEGER },
  { header: "续约", value: (r) => r.contractsRenewed, numFmt: INTEGER },
  { header: "解约", value: (r) => r.contractsTerminated, numFmt: INTEGER },
  { header: "重点人群签约人数", value: (r) => r.prioritySigned, numFmt: INTEGER },
  { header: "重点人群签约占比", value: (r) => r.prioritySigningRate, numFmt: PERCENT },
  { header: "履约服务次数", value: (r) => r.servicesDelivered, numFmt: INTEGER },
  { header: "履约率", value: (r) => r.fulfilmentRate, numFmt: PERCENT },
  ...(
    [
      "consultation",
      "annual_assessment",
      "chronic_followup",
      "home_visit",
      "physical_exam",
      "child_health",
      "prenatal",
      "health_education",
    ] as EntitlementType[]
  ).map(
    (type): ReportColumn => ({
      header: `${ENTITLEMENT_NAMES[type]}次数`,
      value: (r) => r.services[type]?.delivered ?? 0,
      numFmt: INTEGER,
    }),
  ),
  { header: "慢病患者人数", value: (r) => r.chronicPatients, numFmt: INTEGER },
  { header: "慢病随访按期人数", value: (r) => r.chronicOnSchedule, numFmt: INTEGER },
  { header: "慢病随访按期率", value: (r) => r.chronicOnScheduleRate, numFmt: PERCENT },
  { header: "年度评估完成人数", value: (r) => r.assessmentsDone, numFmt: INTEGER },
  { header: "年度评估完成率", value: (r) => r.assessmentRate, numFmt: PERCENT },
  { header: "预约数", value: (r) => r.appointmentsBooked, numFmt: INTEGER },
  { header: "预约完成", value: (r) => r.appointmentsCompleted, numFmt: INTEGER },
  { header: "预约取消", value: (r) => r.appointmentsCancelled, numFmt: INTEGER },
  { header: "爽约", value: (r) => r.appointmentsNoShow, numFmt: INTEGER },
  { header: "通知发布", value: (r) => r.noticesSent, numFmt: INTEGER },
  { header: "通知送达", value: (r) => r.noticesDelivered, numFmt: INTEGER },
  { header: "通知已读", value: (r) => r.noticesRead, numFmt: INTEGER },
  { header: "健康讲座场次", value: (r) => r.lectures, numFmt: INTEGER },
  { header: "讲座报名", value: (r) => r.lectureRegistrations, numFmt: INTEGER },
  { header: "讲座出席", value: (r) => r.lectureAttendance, numFmt: INTEGER },
  { header: "满意度答卷数", value: (r) => r.satisfactionResponses, numFmt: INTEGER },
  { header: "满意度平均分", value: (r) => r.satisfactionAverage, numFmt: "0.00" },
  { header: "低分答卷", value: (r) => r.lowScores, numFmt: INTEGER },
  { header: "已安排回访", value: (r) => r.lowScoresFollowedUp, numFmt: INTEGER },
  { header: "回访已解决", value: (r) => r.lowScoresResolved, numFmt: INTEGER },
];

const csvCell = (v: string | number | null) => {
  if (v === null) return "";
  const s = String(v);
  // Quote when needed; a leading = + - @ would be read as a formula by Excel.
  const safe = /^[=+\-@]/.test(s) && typeof v === "string" ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** UTF-8 with a byte-order mark, so Excel opens the Chinese headers correctly; CRLF line ends. */
export function reportCsv(report: Pick<MonthlyReport, "teams" | "total">, firstHeader = "团队"): string {
  const lines = [REPORT_COLUMNS.map((c, i) => csvCell(i === 0 ? firstHeader : c.header)).join(",")];
  for (const row of [...report.teams, report.total])
    lines.push(REPORT_COLUMNS.map((c) => csvCell(c.value(row))).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
