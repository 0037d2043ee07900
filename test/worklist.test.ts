import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it, vi } from "vitest";
import { keys } from "../functions/data/keys.js";
import { REPORT_COLUMNS } from "../functions/domain/reports.js";
import { addMonths } from "../functions/domain/worklist.js";
import { localClient } from "../infra/local/dynamodb-local.js";
import { addDays, contractEndDate, todayInChina } from "../shared/dates.js";
import type { MonthlyReport, ReportRow } from "../shared/schemas/reports.js";
import { api, eventually, newResident, stack } from "./support/api.js";
import { pastVisit } from "./support/appointments.js";
import { applyBody, newTeamWithDoctor, runJob, signedResident } from "./support/contracts.js";
import { delivered } from "./support/notices.js";
import { stored } from "./support/stored.js";
import { backend } from "./support/surveys.js";

// Each flow waits on the stream projector (and the daily job): generous under a loaded machine.
vi.setConfig({ testTimeout: 150_000 });
/**
 * The team's work-list (issue 16): each kind appears when its cause arises and goes when it is
 * resolved, through the stream projector (real HTTP, real DynamoDB Local, the twin's stream) and
 * the daily job; the list is unchanged when the stream delivers records again.
 */
interface Item {
  kind: string;
  residentId: string;
  dueBy: string;
  reason: string;
  name: string;
  groups: string[];
  contractId?: string;
  appointmentId?: string;
  lastDoneAt?: string;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
  counts: Record<string, number>;
}

const PROJECTOR_MS = 60_000;

const worklist = (teamId: string, token: string, kind?: string) =>
  api<Page>("GET", `/v1/teams/${teamId}/worklist?limit=100${kind ? `&kind=${kind}` : ""}`, { token });

/** Waits (bounded) until the resident has (or has not) an item of the kind; returns the last page. */
async function until(teamId: string, token: string, residentId: string, kind: string, present: boolean) {
  const page = await eventually(
    () => worklist(teamId, token, kind),
    (res) => res.body.items.some((i) => i.residentId === residentId && i.kind === kind) === present,
    PROJECTOR_MS,
  );
  expect(page.status).toBe(200);
  const found = page.body.items.filter((i) => i.residentId === residentId && i.kind === kind);
  expect(found.length > 0).toBe(present);
  return { page: page.body, item: found[0] };
}

/**
 * The counts after they settle: an item and its count change in one transaction, but a page's
 * Query and its counts GetItem are two reads, so one answer can fall between them.
 */
async function settledCount(teamId: string, token: string, kind: string) {
  const page = await eventually(
    () => worklist(teamId, token, kind),
    (res) => res.body.counts[kind] === res.body.items.length,
    PROJECTOR_MS,
  );
  return page.body.counts[kind];
}

/** Sets fields of a stored item as past events would have left them (the stream sees a MODIFY). */
async function patch(key: { pk: string; sk: string }, fields: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.keys(fields).map((f, i) => {
    names[`#f${i}`] = f;
    values[`:v${i}`] = fields[f];
    return `#f${i} = :v${i}`;
  });
  await localClient(stack().dynamoEndpoint).send(
    new UpdateItemCommand({
      TableName: stack().tableName,
      Key: marshall(key),
      UpdateExpression: `SET ${sets.join(", ")}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: marshall(values),
    }),
  );
}

/** Moves a running contract's year back so that it started `start` (end date as approval sets it). */
const backdate = (contractId: string, start: string) =>
  patch(keys.contract(contractId), { startDate: start, endDate: contractEndDate(start) });

const record = (contractId: string, doctor: string, type: string, deliveredAt = new Date().toISOString()) =>
  api("POST", `/v1/contracts/${contractId}/services`, {
    token: doctor,
    body: { type, deliveredAt, place: "社区卫生服务中心" },
  });

const month = () => todayInChina().slice(0, 7);

/** The team's row of the centre's monthly report, once it satisfies `until` (bounded wait). */
async function reportRowOf(teamId: string, manager: string, until: (row: ReportRow) => boolean, m = month()) {
  const res = await eventually(
    () => api<MonthlyReport>("GET", `/v1/centres/c_demo/reports/monthly?month=${m}`, { token: manager }),
    (r) => {
      const row = r.body.teams?.find((t) => t.key === teamId);
      return row !== undefined && until(row);
    },
    PROJECTOR_MS,
  );
  expect(res.status).toBe(200);
  return res.body.teams.find((t) => t.key === teamId) as ReportRow;
}

/** The resident's running contract (after a renewal, the new term's). */
const runningContract = async (residentId: string) =>
  String(((await stored(keys.signedLock(residentId))) as { contractId: string }).contractId);

describe("work-list", () => {
  it("lists an application past the review deadline, and drops it once approved", async () => {
    const { teamId, doctor, manager } = await newTeamWithDoctor();
    const resident = await newResident();
    const applied = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: applyBody(resident.residentId, teamId),
    });
    expect(applied.status).toBe(201);
    // Not yet overdue: nothing to do.
    expect((await worklist(teamId, doctor)).body.items).toEqual([]);
    await patch(keys.contract(applied.body.contractId), {
      appliedAt: new Date(Date.now() - 80 * 3_600_000).toISOString(),
    });
    const { item } = await until(teamId, doctor, resident.residentId, "review_overdue", true);
    expect(item).toMatchObject({ name: "测试居民", contractId: applied.body.contractId });
    expect(item?.reason).toContain("72");
    expect(await settledCount(teamId, doctor, "review_overdue")).toBe(1);
    // The manager reads the same list; another team's doctor does not.
    expect((await worklist(teamId, manager)).status).toBe(200);
    const other = await newTeamWithDoctor();
    expect((await worklist(teamId, other.doctor)).status).toBe(403);

    const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
    expect(approved.status).toBe(200);
    await until(teamId, doctor, resident.residentId, "review_overdue", false);
    expect(await settledCount(teamId, doctor, "review_overdue")).toBe(0);
  });

  it("puts a chronic patient behind the pro-rata schedule on the list until the follow-up is recorded", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor, { declaredGroups: ["chronic"] });
    // Two months in: 4 a year expects none yet.
    await backdate(resident.contract.contractId, addMonths(todayInChina(), -2));
    await until(teamId, doctor, resident.residentId, "not_reached", true);
    expect((await worklist(teamId, doctor, "followup_behind")).body.items).toEqual([]);
    // Four months in: one expected, none done.
    await backdate(resident.contract.contractId, addMonths(todayInChina(), -4));
    const { item } = await until(teamId, doctor, resident.residentId, "followup_behind", true);
    expect(item).toMatchObject({ groups: ["chronic"], reason: "慢病随访 0/4，按进度应完成 1 次" });
    expect(item?.dueBy).toBe(addMonths(addMonths(todayInChina(), -4), 3));
    expect(await settledCount(teamId, doctor, "followup_behind")).toBe(1);

    expect((await record(resident.contract.contractId, doctor, "chronic_followup")).status).toBe(201);
    await until(teamId, doctor, resident.residentId, "followup_behind", false);
    expect(await settledCount(teamId, doctor, "followup_behind")).toBe(0);
  });

  it("shows the annual assessment as due near the year's end until it is done", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    await backdate(resident.contract.contractId, addDays(todayInChina(), -320));
    const { item } = await until(teamId, doctor, resident.residentId, "assessment_due", true);
    expect(item?.dueBy).toBe(contractEndDate(addDays(todayInChina(), -320)));
    expect((await record(resident.contract.contractId, doctor, "annual_assessment")).status).toBe(201);
    await until(teamId, doctor, resident.residentId, "assessment_due", false);
  });

  it("lists a household no notice reached this year until a notice reaches it; 80+ are due a home visit", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const elder = await signedResident(teamId, doctor, { birthDate: "1940-03-08" });
    await until(teamId, doctor, elder.residentId, "not_reached", true);
    await until(teamId, doctor, elder.residentId, "home_visit_due", true);
    expect(await settledCount(teamId, doctor, "not_reached")).toBe(1);
    const notice = await api("POST", "/v1/notices", {
      token: doctor,
      body: {
        kind: "education",
        title: "冬季防跌倒",
        body: "雨雪天气请老人减少外出。",
        audience: { scope: "team", teamId },
      },
    });
    expect(notice.status).toBe(201);
    await delivered(notice.body.noticeId, doctor, 1);
    await until(teamId, doctor, elder.residentId, "not_reached", false);
    expect(await settledCount(teamId, doctor, "not_reached")).toBe(0);
    // Still due a home visit: reaching by notice is not a visit.
    expect(await settledCount(teamId, doctor, "home_visit_due")).toBe(1);
  });

  it("flags a contract near its end with no reminder read (daily job), and drops it once renewed", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const end = resident.contract.endDate as string;
    await until(teamId, doctor, resident.residentId, "not_reached", true);
    expect((await worklist(teamId, doctor, "renewal_at_risk")).body.items).toEqual([]);
    // The daily run of the day 30 days before the end re-evaluates the resident (its agenda entry).
    await runJob("contractRenewals", `${addDays(end, -30)}T00:10:00+08:00`, { teamId });
    const { item } = await until(teamId, doctor, resident.residentId, "renewal_at_risk", true);
    expect(item).toMatchObject({ dueBy: end, reason: "签约即将到期，续约提醒均未阅读" });
    // At expiry the contract renews: the risk is gone.
    await runJob("contractRenewals", `${addDays(end, 1)}T00:10:00+08:00`, { teamId });
    expect((await stored(keys.contract(resident.contract.contractId)))?.status).not.toBe("active");
    await until(teamId, doctor, resident.residentId, "renewal_at_risk", false);
  });

  it("lists a visit closed as unrecorded until staff record its outcome", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const appointmentId = await pastVisit(teamId, resident.residentId);
    await runJob("contractRenewals", `${todayInChina()}T00:10:00+08:00`, { teamId });
    expect((await stored(keys.appointment(appointmentId)))?.status).toBe("unrecorded");
    const { item } = await until(teamId, doctor, resident.residentId, "unrecorded_visit", true);
    expect(item?.appointmentId).toBe(appointmentId);
    expect(await settledCount(teamId, doctor, "unrecorded_visit")).toBe(1);
    const recorded = await api("POST", `/v1/appointments/${appointmentId}/status`, {
      token: doctor,
      body: { status: "completed" },
    });
    expect(recorded.status).toBe(200);
    await until(teamId, doctor, resident.residentId, "unrecorded_visit", false);
    expect(await settledCount(teamId, doctor, "unrecorded_visit")).toBe(0);
  });

  it("is unchanged when the stream delivers the same changes again", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const chronic = await signedResident(teamId, doctor, {
      declaredGroups: ["chronic"],
      birthDate: "1941-01-02",
    });
    await backdate(chronic.contract.contractId, addMonths(todayInChina(), -7));
    await until(teamId, doctor, chronic.residentId, "followup_behind", true);
    const appointmentId = await pastVisit(teamId, chronic.residentId);
    await runJob("contractRenewals", `${todayInChina()}T00:10:00+08:00`, { teamId });
    await until(teamId, doctor, chronic.residentId, "unrecorded_visit", true);
    const before = (await worklist(teamId, doctor)).body;
    expect(before.items.map((i) => i.kind).sort()).toEqual([
      "followup_behind",
      "home_visit_due",
      "not_reached",
      "unrecorded_visit",
    ]);
    expect(before.counts).toMatchObject({
      followup_behind: 1,
      home_visit_due: 1,
      not_reached: 1,
      unrecorded_visit: 1,
    });
    const storedBefore = await stored(keys.workItem(teamId, "followup_behind", chronic.residentId));

    // The projector's handler in-process, fed the records again (twice), as a retried batch would be.
    await backend();
    const { handler } = await import("../functions/workers/stats-projector.js");
    const contract = (await stored(keys.contract(chronic.contract.contractId))) as Record<string, unknown>;
    const appointment = (await stored(keys.appointment(appointmentId))) as Record<string, unknown>;
    const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true });
    const records = [
      // A follow-up count moving (no status change: no report counter moves).
      { old: { ...contract, delivered: { chronic_followup: 1 } }, next: contract },
      { old: { ...appointment, status: "booked" }, next: appointment },
    ].map((r, i) => ({
      eventID: `evt-worklist-${teamId}-${i}`,
      eventName: "MODIFY" as const,
      eventSource: "aws:dynamodb",
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        SequenceNumber: `${900 + i}`,
        OldImage: image(r.old),
        NewImage: image(r.next),
      },
    }));
    const context = {} as Parameters<typeof handler>[1];
    for (let round = 0; round < 2; round++) {
      const outcome = await handler({ Records: records } as never, context);
      expect(outcome).toEqual({ batchItemFailures: [] });
    }
    const after = await worklist(teamId, doctor);
    expect(after.body.counts).toEqual(before.counts);
    expect(after.body.items).toEqual(before.items);
    expect(await stored(keys.workItem(teamId, "followup_behind", chronic.residentId))).toEqual(storedBefore);
  });
  it("follows the pro-rata rule at month boundaries, showing when the last follow-up was", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor, { declaredGroups: ["chronic"] });
    const contractId = resident.contract.contractId as string;
    const today = todayInChina();
    // Exactly three whole months in: of 4 a year, one expected since today.
    await backdate(contractId, addMonths(today, -3));
    const first = await until(teamId, doctor, resident.residentId, "followup_behind", true);
    expect(first.item).toMatchObject({ reason: "慢病随访 0/4，按进度应完成 1 次" });
    expect(first.item?.dueBy).toBe(addMonths(addMonths(today, -3), 3));
    expect(first.item?.lastDoneAt).toBeUndefined();
    // A day short of the boundary: none expected yet.
    await backdate(contractId, addDays(addMonths(today, -3), 1));
    await until(teamId, doctor, resident.residentId, "followup_behind", false);

    // One done; six whole months in, two expected: behind again, with the one done shown.
    const doneAt = new Date().toISOString();
    expect((await record(contractId, doctor, "chronic_followup", doneAt)).status).toBe(201);
    await backdate(contractId, addMonths(today, -6));
    const second = await until(teamId, doctor, resident.residentId, "followup_behind", true);
    expect(second.item).toMatchObject({ reason: "慢病随访 1/4，按进度应完成 2 次", lastDoneAt: doneAt });
    // A day short of six months: one expected, one done.
    await backdate(contractId, addDays(addMonths(today, -6), 1));
    await until(teamId, doctor, resident.residentId, "followup_behind", false);
  });

  it("shows the last home visit and assessment of the year before on the new term's items", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const elder = await signedResident(teamId, doctor, { birthDate: "1941-04-04" });
    const first = elder.contract.contractId as string;
    const visit = await until(teamId, doctor, elder.residentId, "home_visit_due", true);
    expect(visit.item?.lastDoneAt).toBeUndefined();
    const visitedAt = new Date(Date.now() - 60_000).toISOString();
    const assessedAt = new Date().toISOString();
    expect((await record(first, doctor, "home_visit", visitedAt)).status).toBe(201);
    expect((await record(first, doctor, "annual_assessment", assessedAt)).status).toBe(201);
    await until(teamId, doctor, elder.residentId, "home_visit_due", false);

    // The year ends and the contract renews: the new term owes a home visit again.
    await runJob("contractRenewals", `${addDays(elder.contract.endDate as string, 1)}T00:10:00+08:00`, {
      teamId,
    });
    const second = await eventually(
      () => runningContract(elder.residentId),
      (id) => id !== first,
      PROJECTOR_MS,
    );
    const renewed = await until(teamId, doctor, elder.residentId, "home_visit_due", true);
    expect(renewed.item).toMatchObject({ contractId: second, lastDoneAt: visitedAt });
    // Near the new term's end, the assessment is due: last done in the year before.
    await backdate(second, addDays(todayInChina(), -320));
    const due = await until(teamId, doctor, elder.residentId, "assessment_due", true);
    expect(due.item).toMatchObject({ contractId: second, lastDoneAt: assessedAt });
  });

  it("drops a contract near its end from renewal_at_risk once a reminder is read, unless termination is asked", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const contractId = resident.contract.contractId as string;
    // The contract year ends in 24 days: at risk, no reminder read.
    await backdate(contractId, addDays(todayInChina(), -341));
    const { item } = await until(teamId, doctor, resident.residentId, "renewal_at_risk", true);
    expect(item?.reason).toBe("签约即将到期，续约提醒均未阅读");

    // A renewal reminder reaches the inbox, as the daily job sends it.
    await backend();
    const { deliverOnce } = await import("../functions/data/inbox-repo.js");
    const sent = await deliverOnce(
      resident.residentId,
      {
        kind: "renewal_reminder",
        title: "家庭医生签约将于 30 天后到期",
        body: "到期后将自动续约一年。",
        contractId,
      },
      `renewal-reminder#${contractId}#test`,
      new Date(),
    );
    expect(sent).toBe(true);
    type Listed = { messageId: string; residentId: string; kind: string; publishedAt: string; read: boolean };
    const inbox = await api<{ items: Listed[] }>("GET", "/v1/me/notices?limit=100", {
      token: resident.token,
    });
    const reminder = inbox.body.items.find((m) => m.kind === "renewal_reminder") as Listed;
    expect(reminder).toMatchObject({ read: false, residentId: resident.residentId });
    const path = `/v1/me/inbox/${reminder.messageId}/read`;
    const body = { residentId: resident.residentId, publishedAt: reminder.publishedAt };

    // Only the resident's side reads it, and only a message that is there.
    const stranger = await newResident();
    expect((await api("POST", path, { token: stranger.token, body })).status).toBe(403);
    expect((await api("POST", path, { token: doctor, body })).status).toBe(403);
    const elsewhere = { ...body, publishedAt: new Date(Date.now() - 86_400_000).toISOString() };
    expect((await api("POST", path, { token: resident.token, body: elsewhere })).status).toBe(404);
    await until(teamId, doctor, resident.residentId, "renewal_at_risk", true);

    const read = await api("POST", path, { token: resident.token, body });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ messageId: reminder.messageId, kind: "renewal_reminder", read: true });
    await until(teamId, doctor, resident.residentId, "renewal_at_risk", false);
    expect(await settledCount(teamId, doctor, "renewal_at_risk")).toBe(0);
    // Reading again changes nothing; the inbox shows it read.
    expect((await api("POST", path, { token: resident.token, body })).status).toBe(200);
    const after = await api<{ items: Listed[] }>("GET", "/v1/me/notices?limit=100", {
      token: resident.token,
    });
    expect(after.body.items.find((m) => m.messageId === reminder.messageId)?.read).toBe(true);

    // The resident asks to end the contract: at risk again, whatever was read.
    const asked = await api("POST", `/v1/contracts/${contractId}/termination`, {
      token: resident.token,
      body: { reason: "resident_choice" },
    });
    expect(asked.status).toBe(200);
    const again = await until(teamId, doctor, resident.residentId, "renewal_at_risk", true);
    expect(again.item?.reason).toBe("签约即将到期，居民已申请解约");
  });

  it("feeds the monthly report: the share of chronic patients on schedule moves with a follow-up, and assessments done", async () => {
    const { teamId, doctor, manager } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor, { declaredGroups: ["chronic"] });
    const contractId = resident.contract.contractId as string;
    await backdate(contractId, addMonths(todayInChina(), -4));
    await until(teamId, doctor, resident.residentId, "followup_behind", true);
    const behind = await reportRowOf(
      teamId,
      manager,
      (r) => r.chronicPatients === 1 && r.chronicOnSchedule === 0 && r.assessmentRate !== null,
    );
    expect(behind).toMatchObject({
      chronicPatients: 1,
      chronicOnSchedule: 0,
      chronicOnScheduleRate: 0,
      assessmentsDone: 0,
      assessmentRate: 0,
    });

    expect((await record(contractId, doctor, "chronic_followup")).status).toBe(201);
    const onSchedule = await reportRowOf(teamId, manager, (r) => r.chronicOnSchedule === 1);
    expect(onSchedule).toMatchObject({ chronicPatients: 1, chronicOnScheduleRate: 1, assessmentsDone: 0 });
    expect((await record(contractId, doctor, "annual_assessment")).status).toBe(201);
    const assessed = await reportRowOf(teamId, manager, (r) => r.assessmentsDone === 1);
    expect(assessed).toMatchObject({ chronicOnScheduleRate: 1, assessmentsDone: 1, assessmentRate: 1 });

    // The CSV (and the spreadsheet, from the same columns) carries them.
    const res = await fetch(`${stack().url}/v1/centres/c_demo/reports/monthly?month=${month()}&format=csv`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    const lines = (await res.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    const header = lines[0]?.split(",") ?? [];
    const line = lines.find((l) => l.startsWith(`${assessed.name},`))?.split(",") ?? [];
    for (const [column, value] of [
      ["慢病患者人数", "1"],
      ["慢病随访按期人数", "1"],
      ["慢病随访按期率", "1"],
      ["年度评估完成人数", "1"],
      ["年度评估完成率", "1"],
    ])
      expect(line[header.indexOf(column as string)], column).toBe(value);
    expect(REPORT_COLUMNS.map((c) => c.header)).toEqual(header);

    // The month's snapshot of the counts is what a later report of this month reads.
    const snapshot = await eventually(
      () => stored(keys.workCountsMonth(teamId, month())),
      (item) => item?.assessmentsDone === 1,
      PROJECTOR_MS,
    );
    expect(snapshot).toMatchObject({ chronicPatients: 1, followup_behind: 0, assessmentsDone: 1 });
    // A past month reads its last snapshot at or before it.
    const [y, m] = month().split("-").map(Number) as [number, number];
    const past = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
    await patch(keys.workCountsMonth(teamId, past), {
      type: "WorkCountsMonth",
      teamId,
      month: past,
      chronicPatients: 4,
      followup_behind: 1,
      assessmentsDone: 2,
      version: 1,
    });
    const then = await reportRowOf(teamId, manager, () => true, past);
    expect(then).toMatchObject({
      chronicPatients: 4,
      chronicOnSchedule: 3,
      chronicOnScheduleRate: 0.75,
      assessmentsDone: 2,
    });
  });
});
