import { describe, expect, it } from "vitest";
import { keys } from "../functions/data/keys.js";
import { addDays, todayInChina } from "../shared/dates.js";
import { api, eventually } from "./support/api.js";
import { pastVisit, publish, soonWindow } from "./support/appointments.js";
import { applyBody, newTeamWithDoctor, runJob, signedResident } from "./support/contracts.js";
import { delivered, noticeBody } from "./support/notices.js";
import { contractStored, signedLock, stored, teamCounts } from "./support/stored.js";

/**
 * Named regressions for paths through the lifecycles that used to strand a resident or leak a
 * place (issue: lifecycles that never get stuck). Counters are read from the table itself.
 */

async function switching() {
  const from = await newTeamWithDoctor();
  const to = await newTeamWithDoctor();
  const resident = await signedResident(from.teamId, from.doctor);
  const sw = await api("POST", "/v1/contracts", {
    token: resident.token,
    body: {
      ...applyBody(resident.residentId, to.teamId),
      switchFromContractId: resident.contract.contractId,
    },
  });
  expect(sw.status).toBe(201);
  return { from, to, resident, old: resident.contract, switchId: sw.body.contractId as string };
}

const terminate = (contractId: string, token: string) =>
  api("POST", `/v1/contracts/${contractId}/termination`, { token, body: { reason: "resident_choice" } });

describe("switching and termination compose", () => {
  it("refuses a termination while a switch is pending or scheduled, and lets it through once the switch is gone", async () => {
    const { from, to, resident, old, switchId } = await switching();
    // Pending switch: neither side may start a termination; the switch stays workable.
    for (const token of [resident.token, from.doctor]) {
      const refused = await terminate(old.contractId, token);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("SWITCH_IN_PROGRESS");
    }
    expect(await signedLock(resident.residentId)).toMatchObject({
      contractId: old.contractId,
      pendingSwitchContractId: switchId,
    });
    const approved = await api("POST", `/v1/contracts/${switchId}/approve`, { token: to.doctor });
    expect(approved.body.status).toBe("scheduled");
    // Scheduled switch: still refused, and the scheduled contract itself cannot be terminated.
    expect((await terminate(old.contractId, resident.token)).body.error.code).toBe("SWITCH_IN_PROGRESS");
    expect((await terminate(switchId, resident.token)).body.error.code).toBe("INVALID_STATE");
    expect(await teamCounts(from.teamId)).toEqual({ households: 1, persons: 1 });
    expect(await teamCounts(to.teamId)).toEqual({ households: 1, persons: 1 });

    // The resident cancels the switch: the new team's place comes back, the old contract runs on.
    const cancelled = await api("POST", `/v1/contracts/${switchId}/switch/cancel`, { token: resident.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "withdrawn", endReason: "switch_cancelled" });
    expect(await contractStored(old.contractId)).not.toHaveProperty("switchToContractId");
    expect(await signedLock(resident.residentId)).not.toHaveProperty("pendingSwitchContractId");
    expect(await teamCounts(to.teamId)).toEqual({ households: 0, persons: 0 });
    const again = await api("POST", `/v1/contracts/${switchId}/switch/cancel`, { token: resident.token });
    expect(again.body.error.code).toBe("INVALID_STATE");

    // Now the termination goes through both signatures and frees the old team's place.
    expect((await terminate(old.contractId, resident.token)).body.status).toBe("terminating");
    const confirmed = await api("POST", `/v1/contracts/${old.contractId}/termination/confirm`, {
      token: from.doctor,
    });
    expect(confirmed.body.status).toBe("terminated");
    expect(await teamCounts(from.teamId)).toEqual({ households: 0, persons: 0 });
    expect(await signedLock(resident.residentId)).toBeUndefined();
  });

  it("refuses a switch from a contract whose termination is under way", async () => {
    const from = await newTeamWithDoctor();
    const to = await newTeamWithDoctor();
    const resident = await signedResident(from.teamId, from.doctor);
    expect((await terminate(resident.contract.contractId, resident.token)).body.status).toBe("terminating");
    const sw = await api("POST", "/v1/contracts", {
      token: resident.token,
      body: {
        ...applyBody(resident.residentId, to.teamId),
        switchFromContractId: resident.contract.contractId,
      },
    });
    expect(sw.status).toBe(409);
    expect(await teamCounts(to.teamId)).toEqual({ households: 0, persons: 0 });
  });

  it("lets the new team cancel a scheduled switch; the old contract then renews at its end", async () => {
    const { from, to, resident, old, switchId } = await switching();
    await api("POST", `/v1/contracts/${switchId}/approve`, { token: to.doctor });
    const stranger = await newTeamWithDoctor();
    expect(
      (await api("POST", `/v1/contracts/${switchId}/switch/cancel`, { token: stranger.doctor })).status,
    ).toBe(404);
    expect((await api("POST", `/v1/contracts/${switchId}/switch/cancel`, { token: to.doctor })).status).toBe(
      200,
    );
    await runJob("contractRenewals", `${addDays(old.endDate, 1)}T00:10:00+08:00`, { teamId: from.teamId });
    expect((await contractStored(old.contractId))?.status).toBe("renewed");
    const lock = await signedLock(resident.residentId);
    expect(lock?.contractId).not.toBe(old.contractId);
    expect((await contractStored(lock?.contractId ?? ""))?.status).toBe("active");
    expect(await teamCounts(from.teamId)).toEqual({ households: 1, persons: 1 });
    expect(await teamCounts(to.teamId)).toEqual({ households: 0, persons: 0 });
  });

  it("carries a switch still pending on the renewal day onto the new term, where it can be approved", async () => {
    const { from, to, resident, old, switchId } = await switching();
    await runJob("contractRenewals", `${addDays(old.endDate, 1)}T00:10:00+08:00`, { teamId: from.teamId });
    expect((await contractStored(old.contractId))?.status).toBe("renewed");
    const lock = await signedLock(resident.residentId);
    expect(lock?.pendingSwitchContractId).toBe(switchId);
    const renewedId = lock?.contractId ?? "";
    expect((await contractStored(switchId))?.switchFromContractId).toBe(renewedId);
    const approved = await api("POST", `/v1/contracts/${switchId}/approve`, { token: to.doctor });
    expect(approved.status).toBe(200);
    const renewed = await api("GET", `/v1/contracts/${renewedId}`, { token: resident.token });
    expect(approved.body).toMatchObject({ status: "scheduled", startDate: addDays(renewed.body.endDate, 1) });
    expect(renewed.body.switchToContractId).toBe(switchId);
    expect(await teamCounts(from.teamId)).toEqual({ households: 1, persons: 1 });
    expect(await teamCounts(to.teamId)).toEqual({ households: 1, persons: 1 });
  });
});

describe("visit closure", () => {
  const open = (residentId: string) =>
    stored<{ open: number }>(keys.openBookings(residentId)).then((item) => item?.open);

  it("closes a visit nobody recorded at the end of its day as unrecorded, releasing the booking", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const soon = soonWindow();
    const [slot] = await publish(teamId, doctor, {
      date: soon.date,
      startTime: soon.startTime,
      endTime: soon.endTime,
      slotMinutes: 15,
    });
    const booked = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: { slotId: slot!.slotId, residentId: resident.residentId },
    });
    expect(booked.status).toBe(201);
    expect(await open(resident.residentId)).toBe(1);
    // Before the day is over the job leaves it alone; after midnight it closes it, once.
    await runJob("contractRenewals", `${soon.date}T23:30:00+08:00`, { teamId });
    expect((await stored(keys.appointment(booked.body.appointmentId)))?.status).toBe("booked");
    for (let run = 0; run < 2; run++)
      await runJob("contractRenewals", `${addDays(soon.date, 1)}T00:10:00+08:00`, { teamId });
    expect((await stored(keys.appointment(booked.body.appointmentId)))?.status).toBe("unrecorded");
    expect(await open(resident.residentId)).toBe(0);
    // Not a no-show: nothing counts against the resident.
    expect(await stored(keys.openVisit(soon.date, teamId, booked.body.appointmentId))).toBeUndefined();
  });

  it("lets staff correct an outcome within 7 days, with the fulfilment following each way", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    // A visit of yesterday that nobody recorded, as the booking left it.
    const appointmentId = await pastVisit(teamId, resident.residentId);
    await runJob("contractRenewals", `${todayInChina()}T00:10:00+08:00`, { teamId });
    expect((await stored(keys.appointment(appointmentId)))?.status).toBe("unrecorded");
    expect(await open(resident.residentId)).toBe(0);

    const delivered = async () =>
      (
        await api("GET", `/v1/contracts/${resident.contract.contractId}`, { token: doctor })
      ).body.entitlements.find((e: { type: string }) => e.type === "consultation")?.delivered;
    const record = (status: string) =>
      api("POST", `/v1/appointments/${appointmentId}/status`, { token: doctor, body: { status } });
    expect((await record("checked_in")).status).toBe(409);
    expect((await record("completed")).body.status).toBe("completed");
    expect(await delivered()).toBe(1);
    expect((await record("no_show")).body.status).toBe("no_show");
    expect(await delivered()).toBe(0);
    expect((await record("completed")).body.status).toBe("completed");
    expect(await delivered()).toBe(1);
    // The open-bookings count was released once, at closure, and corrections leave it alone.
    expect(await open(resident.residentId)).toBe(0);
  });
});

describe("erasure", () => {
  it("gives back the lecture seat of an erased resident, and passes them over on the waiting list", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const [leaving, staying] = [await signedResident(teamId, doctor), await signedResident(teamId, doctor)];
    const lecture = await api("POST", "/v1/notices", {
      token: doctor,
      body: {
        ...noticeBody({ scope: "team", teamId }),
        kind: "lecture",
        title: "糖尿病饮食讲座",
        lecture: {
          venue: "中心三楼多功能厅",
          startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
          capacity: 1,
        },
      },
    });
    await delivered(lecture.body.noticeId, doctor, 2);
    const register = (r: typeof leaving) =>
      api("POST", `/v1/notices/${lecture.body.noticeId}/registrations`, {
        token: r.token,
        body: { residentId: r.residentId },
      });
    expect((await register(leaving)).status).toBe(201);
    expect((await register(staying)).body.error.code).toBe("LECTURE_FULL");
    expect((await api("DELETE", "/v1/me", { token: leaving.token })).status).toBe(200);
    expect(
      (await stored<{ lectureRegistered: number }>(keys.notice(lecture.body.noticeId)))?.lectureRegistered,
    ).toBe(0);
    expect((await register(staying)).status).toBe(201);

    // A full slot: the erased resident waits first, but the freed place goes to the next one.
    const [slot] = await publish(teamId, doctor, { date: addDays(todayInChina(), 3), capacity: 1 });
    const holder = await signedResident(teamId, doctor);
    const waiting = [await signedResident(teamId, doctor), await signedResident(teamId, doctor)];
    const held = await api("POST", "/v1/appointments", {
      token: holder.token,
      body: { slotId: slot!.slotId, residentId: holder.residentId },
    });
    for (const w of waiting)
      expect(
        (
          await api("POST", `/v1/slots/${slot!.slotId}/waitlist`, {
            token: w.token,
            body: { residentId: w.residentId },
          })
        ).status,
      ).toBe(201);
    await api("DELETE", "/v1/me", { token: waiting[0]!.token });
    await api("POST", `/v1/appointments/${held.body.appointmentId}/cancel`, {
      token: holder.token,
      body: { reason: "有事" },
    });
    const offers = await eventually(
      () => api("GET", "/v1/me/waitlist-offers", { token: waiting[1]!.token }),
      (list) => list.body.items.length > 0,
    );
    expect(offers.body.items[0]).toMatchObject({ status: "open", slotId: slot!.slotId });
  });
});
