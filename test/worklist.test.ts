import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it, vi } from "vitest";
import { keys } from "../functions/data/keys.js";
import { addMonths } from "../functions/domain/worklist.js";
import { localClient } from "../infra/local/dynamodb-local.js";
import { addDays, contractEndDate, todayInChina } from "../shared/dates.js";
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

const record = (contractId: string, doctor: string, type: string) =>
  api("POST", `/v1/contracts/${contractId}/services`, {
    token: doctor,
    body: { type, deliveredAt: new Date().toISOString(), place: "社区卫生服务中心" },
  });

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
});
