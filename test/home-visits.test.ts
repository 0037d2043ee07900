import { describe, expect, it, vi } from "vitest";
import { addDays, todayInChina } from "../shared/dates.js";
import { api, eventually, idNumberFor, newResident } from "./support/api.js";
import { publish, soonWindow, tomorrow } from "./support/appointments.js";
import { applyBody, newTeamWithDoctor, signedResident } from "./support/contracts.js";

// Each flow waits on the stream projector (and the daily job): generous under a loaded machine.
vi.setConfig({ testTimeout: 150_000 });
/**
 * Home-visit requests, booking on a resident's behalf (代预约), the audited contact reveal and the
 * resident's plan (issue 16), over real HTTP against the local stack.
 */
const PROJECTOR_MS = 60_000;

const worklistItems = async (teamId: string, token: string, kind: string) =>
  (await api("GET", `/v1/teams/${teamId}/worklist?kind=${kind}&limit=100`, { token })).body.items as {
    residentId: string;
    requestId?: string;
  }[];

const inboxTitles = async (token: string) =>
  (
    (await api("GET", "/v1/me/notices?limit=100", { token })).body.items as {
      title: string;
      residentId: string;
    }[]
  ).map((m) => `${m.residentId}:${m.title}`);

const plan = (residentId: string, token: string) => api("GET", `/v1/residents/${residentId}/plan`, { token });

describe("home-visit requests", () => {
  it("go from the resident's request through the work-list to a completed visit with fulfilment", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const elder = await signedResident(teamId, doctor, { birthDate: "1938-06-01" });
    const before = await plan(elder.residentId, elder.token);
    expect(before.status).toBe(200);
    expect(before.body.items).toContainEqual(
      expect.objectContaining({ item: "home_visit", done: 0, expected: 1, serviceType: "home_visit" }),
    );

    // The resident asks; a second open request is refused.
    const body = { residentId: elder.residentId, reason: "腿脚不便，行动困难", preferredDates: [tomorrow()] };
    const asked = await api("POST", "/v1/home-visit-requests", { token: elder.token, body });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: "open", teamId, preferredDates: [tomorrow()] });
    const again = await api("POST", "/v1/home-visit-requests", { token: elder.token, body });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ALREADY_REQUESTED");
    const past = await api("POST", "/v1/home-visit-requests", {
      token: elder.token,
      body: { ...body, preferredDates: [addDays(todayInChina(), -1)] },
    });
    expect(past.status).toBe(400);
    expect(past.body.error.details[0].path).toBe("preferredDates.0");

    // The team sees it in the work-list.
    const requestId = asked.body.requestId as string;
    const listed = await eventually(
      () => worklistItems(teamId, doctor, "home_visit_requested"),
      (items) => items.some((i) => i.requestId === requestId),
      PROJECTOR_MS,
    );
    expect(listed.map((i) => i.residentId)).toEqual([elder.residentId]);

    // Another team may not schedule it; the resident cannot either.
    const other = await newTeamWithDoctor();
    const soon = soonWindow();
    const schedule = { startsAt: soon.start.toISOString(), durationMinutes: 30 };
    const path = `/v1/home-visit-requests/${requestId}/schedule`;
    expect((await api("POST", path, { token: other.doctor, body: schedule })).status).toBe(403);
    expect((await api("POST", path, { token: elder.token, body: schedule })).status).toBe(403);
    const bad = await api("POST", path, { token: doctor, body: { ...schedule, durationMinutes: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("durationMinutes");

    // The team schedules it at the resident's address; the resident is told.
    const scheduled = await api("POST", path, { token: doctor, body: schedule });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body).toMatchObject({ status: "scheduled", startsAt: schedule.startsAt });
    const appointmentId = scheduled.body.appointmentId as string;
    const retried = await api("POST", path, { token: doctor, body: schedule });
    expect(retried.body.appointmentId).toBe(appointmentId);
    expect(await inboxTitles(elder.token)).toContain(`${elder.residentId}:上门服务已安排`);
    const mine = await eventually(
      () => api("GET", "/v1/me/appointments", { token: elder.token }),
      (res) => res.body.items.some((a: { appointmentId: string }) => a.appointmentId === appointmentId),
    );
    expect(
      mine.body.items.find((a: { appointmentId: string }) => a.appointmentId === appointmentId),
    ).toMatchObject({
      serviceType: "home_visit",
      place: "和平里一区 3 号楼 2 单元 501",
      bookedBy: "team",
      homeVisitRequestId: requestId,
    });
    await eventually(
      () => worklistItems(teamId, doctor, "home_visit_requested"),
      (items) => items.length === 0,
      PROJECTOR_MS,
    );
    const seen = await eventually(
      () => api("GET", `/v1/residents/${elder.residentId}/home-visit-requests`, { token: elder.token }),
      (res) => res.body.items[0]?.status === "scheduled",
    );
    expect(seen.body.items[0]).toMatchObject({
      requestId,
      status: "scheduled",
      statusName: "已安排",
      appointmentId,
    });

    // The visit is completed: fulfilment recorded, the request completed, the plan shows it done.
    const done = await api("POST", `/v1/appointments/${appointmentId}/status`, {
      token: doctor,
      body: { status: "completed" },
    });
    expect(done.status).toBe(200);
    const services = await api("GET", `/v1/contracts/${elder.contract.contractId}/services`, {
      token: doctor,
    });
    expect(services.body.items).toEqual([expect.objectContaining({ type: "home_visit" })]);
    const completed = await eventually(
      () => api("GET", `/v1/residents/${elder.residentId}/home-visit-requests`, { token: elder.token }),
      (res) => res.body.items[0]?.status === "completed",
      PROJECTOR_MS,
    );
    expect(completed.body.items[0]).toMatchObject({ requestId, status: "completed" });
    await eventually(
      () => worklistItems(teamId, doctor, "home_visit_due"),
      (items) => !items.some((i) => i.residentId === elder.residentId),
      PROJECTOR_MS,
    );
    expect(await worklistItems(teamId, doctor, "home_visit_due")).toEqual([]);
    const after = await plan(elder.residentId, elder.token);
    expect(after.body.items).toContainEqual(
      expect.objectContaining({ item: "home_visit", done: 1, expected: 1 }),
    );
    // Done, so the resident may ask again.
    expect((await api("POST", "/v1/home-visit-requests", { token: elder.token, body })).status).toBe(201);
  });

  it("can be declined with a reason the resident sees, after which the resident may ask again", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const body = { residentId: resident.residentId, reason: "术后需要换药", preferredDates: [] };
    const asked = await api("POST", "/v1/home-visit-requests", { token: resident.token, body });
    expect(asked.status).toBe(201);
    const requestId = asked.body.requestId as string;
    const noReason = await api("POST", `/v1/home-visit-requests/${requestId}/decline`, {
      token: doctor,
      body: { reason: " " },
    });
    expect(noReason.status).toBe(400);
    const declined = await api("POST", `/v1/home-visit-requests/${requestId}/decline`, {
      token: doctor,
      body: { reason: "伤口护理请到中心门诊" },
    });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: "declined", declineReason: "伤口护理请到中心门诊" });
    expect(await inboxTitles(resident.token)).toContain(`${resident.residentId}:上门服务申请未能安排`);
    await eventually(
      () => worklistItems(teamId, doctor, "home_visit_requested"),
      (items) => items.length === 0,
      PROJECTOR_MS,
    );
    expect(await worklistItems(teamId, doctor, "home_visit_requested")).toEqual([]);
    // A resident who is not signed cannot ask.
    const unsigned = await newResident();
    const refused = await api("POST", "/v1/home-visit-requests", {
      token: unsigned.token,
      body: { ...body, residentId: unsigned.residentId },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("NOT_SIGNED");
    expect((await api("POST", "/v1/home-visit-requests", { token: resident.token, body })).status).toBe(201);
  });
});

describe("booking on a resident's behalf (代预约)", () => {
  it("books a slot of the team for its signed resident, notifying resident and representative; refused for another team's", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const parent = await newResident();
    // The representative's family member, signed with the team by the representative.
    const member = await api("POST", "/v1/me/family", {
      token: parent.token,
      body: {
        name: "王奶奶",
        idType: "resident_id_card",
        idNumber: idNumberFor("1950-02-02"),
        relation: "parent",
      },
    });
    expect(member.status).toBe(201);
    const memberId = member.body.residentId as string;
    const applied = await api("POST", "/v1/contracts", {
      token: parent.token,
      body: applyBody(memberId, teamId),
    });
    expect(applied.status).toBe(201);
    expect(
      (await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor })).status,
    ).toBe(200);
    const [slot] = await publish(teamId, doctor, {
      date: addDays(todayInChina(), 2),
      serviceType: "chronic_followup",
    });

    const headers = { "idempotency-key": `obo-${Date.now().toString(36)}` };
    const booked = await api("POST", "/v1/appointments", {
      token: doctor,
      headers,
      body: { slotId: slot?.slotId, residentId: memberId },
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: "booked", bookedBy: "team", residentId: memberId });
    const replay = await api("POST", "/v1/appointments", {
      token: doctor,
      headers,
      body: { slotId: slot?.slotId, residentId: memberId },
    });
    expect(replay.body.appointmentId).toBe(booked.body.appointmentId);
    // The same rules: a second booking of the slot is a duplicate.
    const duplicate = await api("POST", "/v1/appointments", {
      token: doctor,
      body: { slotId: slot?.slotId, residentId: memberId },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("DUPLICATE_BOOKING");
    // The representative's inbox shows it (the member has no account of their own).
    expect(await inboxTitles(parent.token)).toContain(`${memberId}:家庭医生团队已为您预约`);
    const listed = await api("GET", "/v1/me/appointments", { token: parent.token });
    expect(
      listed.body.items.find((a: { appointmentId: string }) => a.appointmentId === booked.body.appointmentId),
    ).toMatchObject({
      bookedBy: "team",
    });

    // Another team's doctor may not book for this resident, on either team's slots.
    const other = await newTeamWithDoctor();
    const [otherSlot] = await publish(other.teamId, other.doctor, { date: addDays(todayInChina(), 2) });
    for (const slotId of [otherSlot?.slotId, slot?.slotId]) {
      const refused = await api("POST", "/v1/appointments", {
        token: other.doctor,
        body: { slotId, residentId: memberId },
      });
      expect(refused.status).toBe(403);
    }
    // Nor may the team book its slot for a resident signed elsewhere.
    const elsewhere = await signedResident(other.teamId, other.doctor);
    const notOurs = await api("POST", "/v1/appointments", {
      token: doctor,
      body: { slotId: slot?.slotId, residentId: elsewhere.residentId },
    });
    expect(notOurs.status).toBe(403);
    expect(await inboxTitles(elsewhere.token)).not.toContain(
      `${elsewhere.residentId}:家庭医生团队已为您预约`,
    );
  });
});

describe("reaching the resident", () => {
  it("reveals the phone to the resident's team only, and the manager reads the audit per staff member", async () => {
    const { teamId, doctor, manager } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const body = { purpose: "慢病随访电话提醒", kind: "followup_behind" };
    const path = `/v1/residents/${resident.residentId}/contact`;
    const other = await newTeamWithDoctor();
    expect((await api("POST", path, { token: other.doctor, body })).status).toBe(403);
    expect((await api("POST", path, { token: manager, body })).status).toBe(403);
    expect((await api("POST", path, { token: resident.token, body })).status).toBe(403);
    const noPurpose = await api("POST", path, { token: doctor, body: { purpose: "" } });
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.error.details[0].path).toBe("purpose");

    const revealed = await api("POST", path, { token: doctor, body });
    expect(revealed.status).toBe(200);
    const phone = revealed.body.phone as string;
    expect(phone).toMatch(/^1\d{10}$/);
    expect(`${phone.slice(0, 3)}****${phone.slice(-4)}`).toBe(resident.profile.phoneMasked);

    const doctorId = (await api("GET", "/v1/me", { token: doctor })).body.user.id as string;
    const audit = await api("GET", `/v1/centres/c_demo/contact-audit?staffId=${doctorId}`, {
      token: manager,
    });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        staffUserId: doctorId,
        residentId: resident.residentId,
        teamId,
        purpose: "慢病随访电话提醒",
        kind: "followup_behind",
      }),
    ]);
    // The refused attempts left no record; another team's doctor has none.
    const otherId = (await api("GET", "/v1/me", { token: other.doctor })).body.user.id as string;
    const none = await api("GET", `/v1/centres/c_demo/contact-audit?staffId=${otherId}`, { token: manager });
    expect(none.body.items).toEqual([]);
    expect(
      (await api("GET", `/v1/centres/c_demo/contact-audit?staffId=${doctorId}`, { token: doctor })).status,
    ).toBe(403);
  });
});

describe("the resident's plan", () => {
  it("shows what the contract year still holds, to the resident and their team only", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor, { declaredGroups: ["chronic"] });
    const mine = await plan(resident.residentId, resident.token);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      contractId: resident.contract.contractId,
      endDate: resident.contract.endDate,
    });
    const byItem = Object.fromEntries(mine.body.items.map((i: { item: string }) => [i.item, i]));
    expect(byItem.annual_assessment).toMatchObject({
      done: 0,
      expected: 1,
      serviceType: "annual_assessment",
    });
    expect(byItem.chronic_followup).toMatchObject({ done: 0, expected: 4, serviceType: "chronic_followup" });
    expect(byItem.health_education).toMatchObject({ expected: 1, serviceType: null });
    expect(byItem.home_visit).toBeUndefined();
    expect((await plan(resident.residentId, doctor)).status).toBe(200);
    const other = await newTeamWithDoctor();
    expect((await plan(resident.residentId, other.doctor)).status).toBe(404);
    const stranger = await newResident();
    expect((await plan(resident.residentId, stranger.token)).status).toBe(404);
    expect((await plan(stranger.residentId, stranger.token)).body).toMatchObject({
      contractId: null,
      items: [],
    });
  });
});
