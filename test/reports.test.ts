import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { REPORT_COLUMNS } from "../functions/domain/reports.js";
import { todayInChina } from "../shared/dates.js";
import type { MonthlyReport, ReportRow } from "../shared/schemas/reports.js";
import { api, devLogin, eventuallyFound, recordExchange, stack } from "./support/api.js";
import { publish, soonWindow } from "./support/appointments.js";
import { newTeamWithDoctor, signedResident } from "./support/contracts.js";
import { backend, completedVisit, invitationAbout, visitAnswers } from "./support/surveys.js";

// Invitations and report counters come from the stream projector, which lags behind the rest of
// a full parallel run (the fan-out test alone writes 25,000 items): allow it time.
vi.setConfig({ testTimeout: 150_000, hookTimeout: 150_000 });

let manager: string;
let teamId: string;
let report: MonthlyReport;
const month = todayInChina().slice(0, 7);

const download = async (format: string, token = manager) => {
  const path = `/v1/centres/c_demo/reports/monthly?month=${month}&format=${format}`;
  const res = await fetch(`${stack().url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  recordExchange({
    method: "GET",
    path,
    status: res.status,
    headers: res.headers,
    body: bytes,
    source: "download",
  });
  return { status: res.status, type: res.headers.get("content-type"), bytes };
};

const rowOf = (r: MonthlyReport, key: string) => r.teams.find((t) => t.key === key) as ReportRow;

beforeAll(async () => {
  // Prepare one team's month: two signings (one elderly), a completed visit with a survey
  // response, and a visit cancelled by the team.
  manager = await devLogin("demo-manager");
  const team = await newTeamWithDoctor();
  teamId = team.teamId;
  const elderly = await signedResident(teamId, team.doctor, { birthDate: "1950-03-02" });
  const younger = await signedResident(teamId, team.doctor);
  const { appointmentId } = await completedVisit(teamId, team.doctor, elderly);
  const invitation = await invitationAbout(elderly.token, appointmentId);
  const answered = await api("POST", `/v1/surveys/invitations/${invitation.invitationId}/response`, {
    token: elderly.token,
    body: { answers: visitAnswers(4) },
  });
  expect(answered.status).toBe(201);
  const soon = soonWindow();
  const [slot] = await publish(teamId, team.doctor, {
    date: soon.date,
    startTime: soon.startTime,
    endTime: soon.endTime,
    slotMinutes: 15,
  });
  const booked = await api("POST", "/v1/appointments", {
    token: younger.token,
    body: { slotId: slot?.slotId, residentId: younger.residentId },
  });
  const cancelled = await api("POST", `/v1/appointments/${booked.body.appointmentId}/cancel`, {
    token: team.doctor,
    body: { reason: "医生临时出诊" },
  });
  expect(cancelled.status).toBe(200);

  // Act: the counters are kept by the stream projector, so wait (bounded) until they show
  report = await eventuallyFound(async () => {
    const res = await api("GET", `/v1/centres/c_demo/reports/monthly?month=${month}`, { token: manager });
    const row = res.body.teams?.find((t: ReportRow) => t.key === teamId);
    return row?.appointmentsCancelled === 1 && row.appointmentsCompleted === 1 && row.servicesDelivered === 1
      ? (res.body as MonthlyReport)
      : undefined;
  }, 15_000);
}, 60_000);

describe("monthly report", () => {
  it("counts the team's month from the projected counters", () => {
    expect(rowOf(report, teamId)).toMatchObject({
      signedHouseholds: 2,
      signedPersons: 2,
      contractsNew: 2,
      contractsRenewed: 0,
      contractsTerminated: 0,
      prioritySigned: 1,
      prioritySigningRate: 0.5,
      servicesDelivered: 1,
      appointmentsBooked: 2,
      appointmentsCompleted: 1,
      appointmentsCancelled: 1,
      appointmentsNoShow: 0,
      satisfactionResponses: 1,
      satisfactionAverage: null,
    });
    const consultation = rowOf(report, teamId).services.consultation;
    // Basic package: 4 consultations a year each, two contracts → 8/12 a month
    expect(consultation).toEqual({ delivered: 1, entitled: 0.67, fulfilmentRate: 1.5 });
    // The centre total includes this team's figures
    expect(report.total.key).toBe("total");
    expect(report.total.contractsNew).toBeGreaterThanOrEqual(2);
    expect(report.total.signedPersons).toBe(report.teams.reduce((a, t) => a + t.signedPersons, 0));
    // Coverage against the 2035 targets uses the demo centre's population (12,000 / 3,600)
    expect(report.coverage).toMatchObject({
      population: 12_000,
      priorityPopulation: 3_600,
      targets: { overall: 0.75, priority: 0.85 },
    });
    expect(report.coverage?.overall).toBeCloseTo(report.total.signedPersons / 12_000, 4);
  });

  it("downloads CSV with a UTF-8 byte-order mark and Chinese headers", async () => {
    const csv = await download("csv");
    expect(csv.status).toBe(200);
    expect(csv.type).toBe("text/csv; charset=utf-8");
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.bytes.subarray(3).toString("utf8").trim().split("\r\n");
    expect(lines[0]?.startsWith("团队,签约户数,签约人数,新签约,续约,解约,重点人群签约人数")).toBe(true);
    expect(lines[0]?.split(",")).toEqual(REPORT_COLUMNS.map((c) => c.header));
    const teamName = rowOf(report, teamId).name;
    expect(
      lines
        .find((l) => l.startsWith(`${teamName},`))
        ?.split(",")
        .slice(1, 6),
    ).toEqual(["2", "2", "2", "0", "0"]);
    expect(lines.at(-1)?.startsWith("中心合计,")).toBe(true);
  });

  it("downloads XLSX that exceljs reads back with the same figures as the JSON", async () => {
    const xlsx = await download("xlsx");
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(REPORT_COLUMNS.map((c) => c.header));
    const json = await api("GET", `/v1/centres/c_demo/reports/monthly?month=${month}`, { token: manager });
    const rows = [...(json.body as MonthlyReport).teams, (json.body as MonthlyReport).total];
    expect(sheet.rowCount).toBe(rows.length + 1);
    rows.forEach((row, i) => {
      const cells = (sheet.getRow(i + 2).values as unknown[]).slice(1);
      const expected = REPORT_COLUMNS.map((c) => c.value(row));
      // exceljs leaves empty (null) cells out: compare column by column
      for (const [j, c] of REPORT_COLUMNS.entries())
        expect(cells[j] ?? null, `${row.name} ${c.header}`).toEqual(expected[j]);
    });
    const rateColumn = REPORT_COLUMNS.findIndex((c) => c.header === "重点人群签约占比") + 1;
    expect(sheet.getRow(2).getCell(rateColumn).numFmt).toBe("0.0%");
  });

  it("is for the centre's manager only, and checks the month", async () => {
    const doctor = await devLogin("demo-doctor-1");
    expect((await download("json", doctor)).status).toBe(403);
    const bad = await api("GET", "/v1/centres/c_demo/reports/monthly?month=2026-13", { token: manager });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("month");
  });
});

describe("stream projector", () => {
  it("counts a redelivered batch once and reports the failing record for retry", async () => {
    // Prepare: the worker handler in-process, fed Lambda's DynamoDB Streams event shape
    await backend();
    const { handler } = await import("../functions/workers/stats-projector.js");
    const { marshall } = await import("@aws-sdk/util-dynamodb");
    const { countersOfMonth } = await import("../functions/data/stats-repo.js");
    const centreId = `c_idem_${Date.now().toString(36)}`;
    const appointment = (id: string) => ({
      type: "Appointment",
      appointmentId: id,
      residentId: "r_idem",
      teamId: "t_idem",
      centreId,
      serviceType: "consultation",
      date: todayInChina(),
      status: "booked",
    });
    const record = (seq: string, image: Record<string, unknown>) => ({
      eventID: `evt-${centreId}-${seq}`,
      eventName: "INSERT",
      eventSource: "aws:dynamodb",
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        SequenceNumber: seq,
        NewImage: marshall(image),
      },
    });
    const batch = { Records: [record("100", appointment("a1")), record("200", appointment("a2"))] };
    const context = {} as Parameters<typeof handler>[1];

    // Act
    const first = await handler(batch as never, context);
    const again = await handler(batch as never, context);
    const broken = await handler(
      {
        Records: [
          record("300", appointment("a3")),
          record("400", { ...appointment("a4"), teamId: "x".repeat(2048) }),
          record("500", appointment("a5")),
        ],
      } as never,
      context,
    );

    // Assess
    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(broken).toEqual({ batchItemFailures: [{ itemIdentifier: "400" }, { itemIdentifier: "500" }] });
    // a5 ran alongside a4 and is counted already; the retry of 400 and 500 must not count it again
    const retried = await handler({ Records: [record("500", appointment("a5"))] } as never, context);
    expect(retried).toEqual({ batchItemFailures: [] });
    const counters = await countersOfMonth(centreId, todayInChina().slice(0, 7));
    expect(counters.find((c) => c.scope === "TEAM#t_idem")?.counters.appointmentsBooked).toBe(4);
    expect(counters.find((c) => c.scope === "CENTRE")?.counters.appointmentsBooked).toBe(4);
  });
});
