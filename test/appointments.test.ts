import { DeleteItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localClient } from "../infra/local/dynamodb-local.js";
import { addDays } from "../shared/dates.js";
import { api, devLogin, eventually, newResident, stack, uniqueOpenid } from "./support/api.js";
import {
  countItems,
  inboxTitles,
  publish,
  slotCounter,
  soonWindow,
  tomorrow,
} from "./support/appointments.js";
import { applyBody, idNumberFor, newTeamWithDoctor, runJob, signedResident } from "./support/contracts.js";
import { queueIdle, sendToQueue } from "./support/queues.js";

const bookBody = (slotId: string, residentId: string) => ({ slotId, residentId });

describe("schedules and slots", () => {
  it("cuts a schedule into slots, skips overlaps, and only lets the team's staff publish", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const date = addDays(tomorrow(), 1);
    const body = {
      serviceType: "chronic_followup",
      startDate: date,
      endDate: addDays(date, 6),
      weekdays: [2, 4],
      startTime: "14:00",
      endTime: "16:00",
      slotMinutes: 30,
      capacityPerSlot: 3,
    };
    const first = await api("POST", `/v1/teams/${teamId}/schedules`, { token: doctor, body });
    expect(first.status).toBe(201);
    expect(first.body.slotsCreated).toBe(8); // two weekdays in a week × four half-hours
    const again = await api("POST", `/v1/teams/${teamId}/schedules`, { token: doctor, body });
    expect(again.body).toMatchObject({ slotsCreated: 0, slotsSkipped: 8 });
    const other = await newTeamWithDoctor();
    expect((await api("POST", `/v1/teams/${teamId}/schedules`, { token: other.doctor, body })).status).toBe(
      403,
    );
    const resident = await newResident();
    expect((await api("POST", `/v1/teams/${teamId}/schedules`, { token: resident.token, body })).status).toBe(
      403,
    );
    const bad = await api("POST", `/v1/teams/${teamId}/schedules`, {
      token: doctor,
      body: { ...body, endTime: "13:00" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("endTime");

    const slots = await api(
      "GET",
      `/v1/teams/${teamId}/slots?from=${date}&to=${addDays(date, 6)}&limit=100`,
      {
        token: resident.token,
      },
    );
    expect(slots.body.items).toHaveLength(8);
    expect(slots.body.items[0]).toMatchObject({ remaining: 3, capacity: 3, serviceName: "慢病随访" });
    // 14:00 in Asia/Shanghai is 06:00 UTC
    expect(slots.body.items[0].startsAt).toMatch(/T06:00:00/);
    const none = await api(
      "GET",
      `/v1/teams/${teamId}/slots?from=${date}&to=${addDays(date, 6)}&serviceType=prenatal`,
      {
        token: resident.token,
      },
    );
    expect(none.body.items).toHaveLength(0);
  });
});

describe("booking rules", () => {
  it("checks in order: validation, acting for the resident, signed, eligible, duplicate, limit, full", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const [slot] = await publish(teamId, doctor, { capacity: 1 });
    const stranger = await newResident();
    const signed = await signedResident(teamId, doctor);
    // 400 before 403: an invalid body for someone else's resident is still a validation error
    const invalid = await api("POST", "/v1/appointments", {
      token: stranger.token,
      body: { slotId: "", residentId: signed.residentId },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toBe("slotId");
    const foreign = await api("POST", "/v1/appointments", {
      token: stranger.token,
      body: bookBody(slot!.slotId, signed.residentId),
    });
    expect(foreign.status).toBe(403);
    const unsigned = await api("POST", "/v1/appointments", {
      token: stranger.token,
      body: bookBody(slot!.slotId, stranger.residentId),
    });
    expect(unsigned.body.error.code).toBe("NOT_SIGNED");
    const ok = await api("POST", "/v1/appointments", {
      token: signed.token,
      body: bookBody(slot!.slotId, signed.residentId),
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ status: "booked", statusName: "已预约", serviceName: "全科门诊" });
    const dup = await api("POST", "/v1/appointments", {
      token: signed.token,
      body: bookBody(slot!.slotId, signed.residentId),
    });
    expect(dup.body.error.code).toBe("DUPLICATE_BOOKING");
    const other = await signedResident(teamId, doctor);
    const full = await api("POST", "/v1/appointments", {
      token: other.token,
      body: bookBody(slot!.slotId, other.residentId),
    });
    expect(full.body.error.code).toBe("SLOT_FULL");
  });

  it("allows one booking per day and three open bookings", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const day = tomorrow();
    const slots = await publish(teamId, doctor, { date: day, endTime: "09:00" });
    expect(
      (
        await api("POST", "/v1/appointments", {
          token: resident.token,
          body: bookBody(slots[0]!.slotId, resident.residentId),
        })
      ).status,
    ).toBe(201);
    const sameDay = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slots[1]!.slotId, resident.residentId),
    });
    expect(sameDay.body.error.code).toBe("BOOKING_LIMIT");
    for (const offset of [1, 2]) {
      const [s] = await publish(teamId, doctor, { date: addDays(day, offset) });
      expect(
        (
          await api("POST", "/v1/appointments", {
            token: resident.token,
            body: bookBody(s!.slotId, resident.residentId),
          })
        ).status,
      ).toBe(201);
    }
    const [fourth] = await publish(teamId, doctor, { date: addDays(day, 3) });
    const limit = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(fourth!.slotId, resident.residentId),
    });
    expect(limit.body.error.code).toBe("BOOKING_LIMIT");
  });

  it("restricts prenatal visits to pregnant residents and child health to children", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const [prenatal] = await publish(teamId, doctor, { serviceType: "prenatal" });
    const man = await signedResident(teamId, doctor, { birthDate: "1956-02-02", sex: "male" });
    const denied = await api("POST", "/v1/appointments", {
      token: man.token,
      body: bookBody(prenatal!.slotId, man.residentId),
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("NOT_ELIGIBLE");
    const mother = await signedResident(teamId, doctor, {
      birthDate: "1995-02-02",
      declaredGroups: ["pregnant"],
    });
    expect(
      (
        await api("POST", "/v1/appointments", {
          token: mother.token,
          body: bookBody(prenatal!.slotId, mother.residentId),
        })
      ).status,
    ).toBe(201);
  });
});

describe("no overbooking under concurrency (DynamoDB Local)", () => {
  it("lets exactly `capacity` of capacity + 40 parallel bookings in, 20 times over", async () => {
    const capacity = 5;
    const { teamId, doctor } = await newTeamWithDoctor();
    const residents = await Promise.all(
      Array.from({ length: capacity + 40 }, () => signedResident(teamId, doctor)),
    );
    const slots = await publish(teamId, doctor, {
      startTime: "08:00",
      endTime: "11:20",
      slotMinutes: 10,
      capacity,
    });
    expect(slots).toHaveLength(20);
    for (const slot of slots) {
      const results = await Promise.all(
        residents.map((r) =>
          api("POST", "/v1/appointments", { token: r.token, body: bookBody(slot.slotId, r.residentId) }),
        ),
      );
      const won = results.filter((r) => r.status === 201);
      expect(won).toHaveLength(capacity);
      expect(results.filter((r) => r.status === 409 && r.body.error.code === "SLOT_FULL")).toHaveLength(40);
      expect(await slotCounter(slot.slotId)).toBe(capacity);
      expect(await countItems(`SLOT#${slot.slotId}`, "RES#")).toHaveLength(capacity);
      // free the residents' daily and open-booking allowance for the next round
      await Promise.all(
        won.map((r) => {
          const owner = residents.find((x) => x.residentId === r.body.residentId)!;
          return api("POST", `/v1/appointments/${r.body.appointmentId}/cancel`, {
            token: owner.token,
            body: { reason: "测试" },
          });
        }),
      );
      expect(await slotCounter(slot.slotId)).toBe(0);
    }
  }, 180_000);

  it("keeps booked ≤ capacity and counter = bookings through random book/cancel/rebook sequences", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const residents = await Promise.all(Array.from({ length: 6 }, () => signedResident(teamId, doctor)));
    const capacity = 3;
    const slots = await publish(teamId, doctor, {
      startTime: "13:00",
      endTime: "15:30",
      slotMinutes: 10,
      capacity,
    });
    let run = 0;
    type Model = { booked: Map<number, string> };
    type Real = { slotId: string };
    class Book implements fc.AsyncCommand<Model, Real> {
      constructor(readonly who: number) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const resident = residents[this.who]!;
        const res = await api("POST", "/v1/appointments", {
          token: resident.token,
          body: bookBody(r.slotId, resident.residentId),
        });
        if (m.booked.has(this.who)) expect(res.body.error.code).toBe("DUPLICATE_BOOKING");
        else if (m.booked.size >= capacity) expect(res.body.error.code).toBe("SLOT_FULL");
        else {
          expect(res.status).toBe(201);
          m.booked.set(this.who, res.body.appointmentId);
        }
        await invariants(m, r);
      }
      toString = () => `book(${this.who})`;
    }
    class Cancel implements fc.AsyncCommand<Model, Real> {
      constructor(readonly who: number) {}
      check = (m: Readonly<Model>) => m.booked.has(this.who);
      async run(m: Model, r: Real) {
        const resident = residents[this.who]!;
        const id = m.booked.get(this.who)!;
        const res = await api("POST", `/v1/appointments/${id}/cancel`, {
          token: resident.token,
          body: { reason: "改期" },
        });
        expect(res.status).toBe(200);
        m.booked.delete(this.who);
        const twice = await api("POST", `/v1/appointments/${id}/cancel`, {
          token: resident.token,
          body: { reason: "改期" },
        });
        expect(twice.status).toBe(409);
        await invariants(m, r);
      }
      toString = () => `cancel(${this.who})`;
    }
    const invariants = async (m: Model, r: Real) => {
      const counter = await slotCounter(r.slotId);
      expect(counter).toBeLessThanOrEqual(capacity);
      expect(counter).toBe(m.booked.size);
      expect(await countItems(`SLOT#${r.slotId}`, "RES#")).toHaveLength(m.booked.size);
    };
    const who = fc.integer({ min: 0, max: residents.length - 1 });
    await fc.assert(
      fc.asyncProperty(
        fc.commands([who.map((w) => new Book(w)), who.map((w) => new Cancel(w))], { maxCommands: 14 }),
        async (cmds) => {
          const slot = slots[run++ % slots.length]!;
          const model: Model = { booked: new Map() };
          await fc.asyncModelRun(() => ({ model, real: { slotId: slot.slotId } }), cmds);
          // leave the slot and the residents' allowances empty for the next run
          await Promise.all(
            [...model.booked].map(([w, id]) =>
              api("POST", `/v1/appointments/${id}/cancel`, {
                token: residents[w]!.token,
                body: { reason: "清理" },
              }),
            ),
          );
        },
      ),
      { numRuns: 15, seed: 20261123 },
    );
  }, 180_000);
});

describe("idempotent booking", () => {
  it("returns the first appointment for a retried key, sequentially and in parallel", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const slots = await publish(teamId, doctor, { date: addDays(tomorrow(), 2), endTime: "09:00" });
    const key = `retry-${Date.now()}`;
    const headers = { "idempotency-key": key };
    const first = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slots[0]!.slotId, resident.residentId),
      headers,
    });
    // the response was "lost": the client retries with the same key
    const retry = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slots[0]!.slotId, resident.residentId),
      headers,
    });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.appointmentId).toBe(first.body.appointmentId);
    const reused = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slots[1]!.slotId, resident.residentId),
      headers,
    });
    expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");

    const other = await signedResident(teamId, doctor);
    const parallelKey = { "idempotency-key": `parallel-${Date.now()}` };
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        api("POST", "/v1/appointments", {
          token: other.token,
          body: bookBody(slots[1]!.slotId, other.residentId),
          headers: parallelKey,
        }),
      ),
    );
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => r.body.appointmentId)).size).toBe(1);
    expect(await countItems(`SLOT#${slots[1]!.slotId}`, "RES#")).toHaveLength(1);
  });

  it("accepts any key a standard client sends (UUIDs, dots, spaces, 255 characters) and refuses longer ones", async () => {
    // Prepare
    const { teamId, doctor } = await newTeamWithDoctor();
    const [slot] = await publish(teamId, doctor, { date: addDays(tomorrow(), 3), capacity: 5 });
    const run = Date.now().toString(36);
    const keys = [
      crypto.randomUUID(),
      `booking.${run}.slot-1.v2`,
      `"quoted key with spaces ${run}" (retry #1) ~!@$%^&*+=[]{}|;:',<>?/`,
      `${run}.`.padEnd(255, "x"),
    ];
    for (const key of keys) {
      const resident = await signedResident(teamId, doctor);
      const send = () =>
        api("POST", "/v1/appointments", {
          token: resident.token,
          body: bookBody(slot!.slotId, resident.residentId),
          headers: { "idempotency-key": key },
        });
      // Act
      const first = await send();
      const retry = await send();
      // Assess
      expect(first.status, `${key}: ${JSON.stringify(first.body)}`).toBe(201);
      expect(retry.status, key).toBe(201);
      expect(retry.body.appointmentId, key).toBe(first.body.appointmentId);
    }
    expect(await countItems(`SLOT#${slot!.slotId}`, "RES#")).toHaveLength(keys.length);

    const resident = await signedResident(teamId, doctor);
    const tooLong = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slot!.slotId, resident.residentId),
      headers: { "idempotency-key": "k".repeat(256) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "Idempotency-Key" }],
    });
    expect(await countItems(`SLOT#${slot!.slotId}`, "RES#")).toHaveLength(keys.length);
  });
});

describe("cancelling and visits", () => {
  it("gives the place back once on cancel; residents cannot cancel within 2 hours, the team can", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const [later] = await publish(teamId, doctor, { capacity: 2 });
    const booked = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(later!.slotId, resident.residentId),
    });
    const cancelled = await api("POST", `/v1/appointments/${booked.body.appointmentId}/cancel`, {
      token: resident.token,
      body: { reason: "临时有事" },
    });
    expect(cancelled.body).toMatchObject({
      status: "cancelled",
      cancellation: { by: "resident", reason: "临时有事" },
    });
    expect(await slotCounter(later!.slotId)).toBe(0);

    const soon = soonWindow();
    const [close] = await publish(teamId, doctor, {
      date: soon.date,
      startTime: soon.startTime,
      endTime: soon.endTime,
      slotMinutes: 15,
    });
    const near = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(close!.slotId, resident.residentId),
    });
    expect(near.status).toBe(201);
    const late = await api("POST", `/v1/appointments/${near.body.appointmentId}/cancel`, {
      token: resident.token,
      body: { reason: "来不及" },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("TOO_LATE_TO_CANCEL");
    // a resident may never mark themselves as a no-show
    expect(
      (
        await api("POST", `/v1/appointments/${near.body.appointmentId}/status`, {
          token: resident.token,
          body: { status: "no_show" },
        })
      ).status,
    ).toBe(403);
    // no-show only after the start
    expect(
      (
        await api("POST", `/v1/appointments/${near.body.appointmentId}/status`, {
          token: doctor,
          body: { status: "no_show" },
        })
      ).status,
    ).toBe(409);
    const byTeam = await api("POST", `/v1/appointments/${near.body.appointmentId}/cancel`, {
      token: doctor,
      body: { reason: "医生临时外出" },
    });
    expect(byTeam.body.cancellation.by).toBe("team");
    expect(await inboxTitles(resident.residentId)).toContain("预约已被取消");
  });

  it("checks in and completes a visit, which records fulfilment on the contract exactly once", async () => {
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
      body: bookBody(slot!.slotId, resident.residentId),
    });
    const id = booked.body.appointmentId;
    expect(
      (await api("POST", `/v1/appointments/${id}/status`, { token: doctor, body: { status: "checked_in" } }))
        .body.status,
    ).toBe("checked_in");
    expect(
      (await api("POST", `/v1/appointments/${id}/status`, { token: doctor, body: { status: "completed" } }))
        .body.status,
    ).toBe("completed");
    expect(
      (await api("POST", `/v1/appointments/${id}/status`, { token: doctor, body: { status: "completed" } }))
        .status,
    ).toBe(409);
    const contract = await api("GET", `/v1/contracts/${resident.contract.contractId}`, {
      token: resident.token,
    });
    const consultations = contract.body.entitlements.find((e: { type: string }) => e.type === "consultation");
    expect(consultations.delivered).toBe(1);
    const services = await api("GET", `/v1/contracts/${resident.contract.contractId}/services`, {
      token: resident.token,
    });
    expect(services.body.items[0]).toMatchObject({ source: "appointment", type: "consultation" });
    const day = await eventually(
      () => api("GET", `/v1/teams/${teamId}/appointments?date=${soon.date}`, { token: doctor }),
      (r) => r.body.items.some((a: { appointmentId: string }) => a.appointmentId === id),
    );
    expect(day.body.items.find((a: { appointmentId: string }) => a.appointmentId === id).status).toBe(
      "completed",
    );
  });

  it("closing a slot cancels its bookings, tells the residents, and refuses new ones", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const [slot] = await publish(teamId, doctor);
    await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slot!.slotId, resident.residentId),
    });
    const closed = await api("POST", `/v1/slots/${slot!.slotId}/close`, {
      token: doctor,
      body: { reason: "医生外出培训" },
    });
    expect(closed.body).toMatchObject({ closed: true, remaining: 0, cancelledAppointments: 1 });
    const mine = await eventually(
      () => api("GET", "/v1/me/appointments", { token: resident.token }),
      (list) => list.body.items.length > 0,
    );
    expect(mine.body.items[0].status).toBe("cancelled");
    expect(await inboxTitles(resident.residentId)).toContain("预约已被取消");
    const other = await signedResident(teamId, doctor);
    expect(
      (
        await api("POST", "/v1/appointments", {
          token: other.token,
          body: bookBody(slot!.slotId, other.residentId),
        })
      ).body.error.code,
    ).toBe("SLOT_CLOSED");
  });
});

describe("closing a day", () => {
  it("closes every slot of the day and cancels its bookings, leaving other days alone", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const day = addDays(tomorrow(), 8);
    const slots = await publish(teamId, doctor, { date: day, endTime: "10:00" });
    const [other] = await publish(teamId, doctor, { date: addDays(day, 1) });
    await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slots[1]!.slotId, resident.residentId),
    });
    const closed = await api("POST", `/v1/teams/${teamId}/days/${day}/close`, {
      token: doctor,
      body: { reason: "医生参加培训" },
    });
    expect(closed.body).toMatchObject({ slotsClosed: slots.length, cancelledAppointments: 1 });
    const left = await eventually(
      () =>
        api("GET", `/v1/teams/${teamId}/slots?from=${day}&to=${addDays(day, 1)}&limit=100`, {
          token: resident.token,
        }),
      (r) => r.body.items.some((s: { slotId: string }) => s.slotId === other?.slotId),
    );
    const byId = Object.fromEntries(
      left.body.items.map((s: { slotId: string; closed: boolean }) => [s.slotId, s.closed]),
    );
    expect(slots.every((s) => byId[s.slotId] === true)).toBe(true);
    expect(byId[other!.slotId]).toBe(false);
    expect(await inboxTitles(resident.residentId)).toContain("预约已被取消");
    const stranger = await newTeamWithDoctor();
    expect(
      (
        await api("POST", `/v1/teams/${teamId}/days/${day}/close`, {
          token: stranger.doctor,
          body: { reason: "x" },
        })
      ).status,
    ).toBe(403);
  });
});

describe("my appointments", () => {
  it("lists own and family appointments, paginating across people without gaps or repeats", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const parent = await signedResident(teamId, doctor);
    const child = await api("POST", "/v1/me/family", {
      token: parent.token,
      body: {
        name: "小宝",
        idType: "resident_id_card",
        idNumber: idNumberFor("2023-01-01"),
        relation: "child",
      },
    });
    expect(child.status, JSON.stringify(child.body)).toBe(201);
    const childContract = await api("POST", "/v1/contracts", {
      token: parent.token,
      body: applyBody(child.body.residentId, teamId),
    });
    expect(childContract.status, JSON.stringify(childContract.body)).toBe(201);
    const approved = await api("POST", `/v1/contracts/${childContract.body.contractId}/approve`, {
      token: doctor,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const booked: string[] = [];
    for (const offset of [0, 1, 2]) {
      const [s] = await publish(teamId, doctor, { date: addDays(tomorrow(), offset) });
      for (const residentId of [parent.residentId, child.body.residentId]) {
        const res = await api("POST", "/v1/appointments", {
          token: parent.token,
          body: bookBody(s!.slotId, residentId),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        booked.push(res.body.appointmentId);
      }
    }
    const walk = async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const q: string = cursor ? `&cursor=${cursor}` : "";
        const res = await api("GET", `/v1/me/appointments?limit=4${q}`, { token: parent.token });
        seen.push(...res.body.items.map((a: { appointmentId: string }) => a.appointmentId));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      return seen;
    };
    // Pages are read from an index: wait for the last booking to show, then every page must agree.
    const seen = await eventually(walk, (ids) => ids.length >= booked.length);
    expect([...seen].sort()).toEqual([...booked].sort());
    const stranger = await newResident();
    expect(
      (await api("GET", `/v1/me/appointments?residentId=${parent.residentId}`, { token: stranger.token }))
        .status,
    ).toBe(403);
  });
});

describe("reminders and waitlist (scheduled job)", () => {
  it("reminds 24 hours and 2 hours before, each exactly once", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const [slot] = await publish(teamId, doctor, {
      date: addDays(tomorrow(), 3),
      startTime: "09:00",
      endTime: "09:30",
    });
    const booked = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slot!.slotId, resident.residentId),
    });
    const start = Date.parse(slot!.startsAt);
    const at = (msBefore: number) => new Date(start - msBefore).toISOString();
    // the booking put both reminders on the due lists of its start hour
    const due = (label: string) =>
      countItems(`REMINDER#${label}#${slot!.startsAt.slice(0, 13)}`, `APPT#${booked.body.appointmentId}`);
    expect((await due("24h")).length + (await due("2h")).length).toBe(2);
    await runJob("appointmentReminders", at(24 * 3_600_000 - 5 * 60_000));
    // sent, so it left its due list: later runs do not read it again
    expect(await due("24h")).toHaveLength(0);
    expect(await due("2h")).toHaveLength(1);
    await runJob("appointmentReminders", at(23 * 3_600_000));
    expect((await inboxTitles(resident.residentId)).filter((t) => t === "明天的预约提醒")).toHaveLength(1);
    await runJob("appointmentReminders", at(110 * 60_000));
    expect(await due("2h")).toHaveLength(0);
    await runJob("appointmentReminders", at(20 * 60_000));
    const titles = await inboxTitles(resident.residentId);
    expect(titles.filter((t) => t === "预约即将开始")).toHaveLength(1);
    expect(titles.filter((t) => t === "明天的预约提醒")).toHaveLength(1);
  });

  it("sends a reminder once when its page message comes twice at once, and drops a cancelled visit's", async () => {
    // Prepare
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const other = await signedResident(teamId, doctor);
    const [slot] = await publish(teamId, doctor, {
      date: addDays(tomorrow(), 3),
      startTime: "14:00",
      endTime: "14:30",
    });
    await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slot!.slotId, resident.residentId),
    });
    const cancelled = await api("POST", "/v1/appointments", {
      token: other.token,
      body: bookBody(slot!.slotId, other.residentId),
    });
    await api("POST", `/v1/appointments/${cancelled.body.appointmentId}/cancel`, {
      token: other.token,
      body: { reason: "有事" },
    });
    const hour = slot!.startsAt.slice(0, 13);
    const message = {
      kind: "reminder",
      chain: `dup-${Date.now().toString(36)}`,
      page: 0,
      label: "24h",
      hour,
      at: new Date(Date.parse(slot!.startsAt) - 20 * 3_600_000).toISOString(),
    };

    // Act: SQS delivers at least once; here twice, concurrently
    await Promise.all([sendToQueue("jiayi-reminders", message), sendToQueue("jiayi-reminders", message)]);
    await queueIdle("jiayi-reminders");

    // Assess
    expect((await inboxTitles(resident.residentId)).filter((t) => t === "明天的预约提醒")).toHaveLength(1);
    expect(await inboxTitles(other.residentId)).not.toContain("明天的预约提醒");
    expect(await countItems(`REMINDER#24h#${hour}`, `APPT#${cancelled.body.appointmentId}`)).toHaveLength(0);
  });

  it("moves visits booked before the due lists onto them, and reminds them once", async () => {
    // Prepare: a booking as the previous release stored it (only the start-hour index entry)
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const [slot] = await publish(teamId, doctor, {
      date: addDays(tomorrow(), 3),
      startTime: "16:00",
      endTime: "16:30",
    });
    const booked = await api("POST", "/v1/appointments", {
      token: resident.token,
      body: bookBody(slot!.slotId, resident.residentId),
    });
    const appointmentId = booked.body.appointmentId as string;
    const hour = slot!.startsAt.slice(0, 13);
    const ddb = localClient(stack().dynamoEndpoint);
    const { tableName } = stack();
    for (const label of ["24h", "2h"])
      await ddb.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: marshall({ pk: `REMINDER#${label}#${hour}`, sk: `APPT#${appointmentId}` }),
        }),
      );
    await ddb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({
          pk: `APPTHOUR#${hour}`,
          sk: `APPT#${appointmentId}`,
          type: "AppointmentHour",
          appointmentId,
        }),
      }),
    );

    // Act
    const start = Date.parse(slot!.startsAt);
    await runJob("appointmentReminders", new Date(start - 22 * 3_600_000).toISOString());
    await runJob("appointmentReminders", new Date(start - 21 * 3_600_000).toISOString());

    // Assess: reminded once, moved off the old index, the 2 h reminder waiting on its list
    expect((await inboxTitles(resident.residentId)).filter((t) => t === "明天的预约提醒")).toHaveLength(1);
    expect(await countItems(`APPTHOUR#${hour}`, `APPT#${appointmentId}`)).toHaveLength(0);
    expect(await countItems(`REMINDER#2h#${hour}`, `APPT#${appointmentId}`)).toHaveLength(1);
  });

  it("offers a freed place to priority residents first, and passes a lapsed offer on", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const holder = await signedResident(teamId, doctor);
    const early = await signedResident(teamId, doctor, { birthDate: "1980-01-01" });
    const elder = await signedResident(teamId, doctor, { birthDate: "1940-01-01" });
    const [slot] = await publish(teamId, doctor, { capacity: 1, date: addDays(tomorrow(), 4) });
    const held = await api("POST", "/v1/appointments", {
      token: holder.token,
      body: bookBody(slot!.slotId, holder.residentId),
    });
    expect(
      (
        await api("POST", `/v1/slots/${slot!.slotId}/waitlist`, {
          token: holder.token,
          body: { residentId: holder.residentId },
        })
      ).body.error.code,
    ).toBe("DUPLICATE_BOOKING");
    const w1 = await api("POST", `/v1/slots/${slot!.slotId}/waitlist`, {
      token: early.token,
      body: { residentId: early.residentId },
    });
    const w2 = await api("POST", `/v1/slots/${slot!.slotId}/waitlist`, {
      token: elder.token,
      body: { residentId: elder.residentId },
    });
    expect(w1.body).toMatchObject({ position: 1, priority: false });
    expect(w2.body).toMatchObject({ position: 1, priority: true });
    await api("POST", `/v1/appointments/${held.body.appointmentId}/cancel`, {
      token: holder.token,
      body: { reason: "不去了" },
    });
    // the place is held for the 80+ resident, not released to everyone
    expect(await slotCounter(slot!.slotId)).toBe(1);
    const elderOffers = await eventually(
      () => api("GET", "/v1/me/waitlist-offers", { token: elder.token }),
      (list) => list.body.items.length > 0,
    );
    expect(elderOffers.body.items[0]).toMatchObject({ status: "open", slotId: slot!.slotId });
    expect((await api("GET", "/v1/me/waitlist-offers", { token: early.token })).body.items).toHaveLength(0);
    // the offer lapses after 30 minutes and goes to the next in line (a worker of its own, so it
    // does not wait on the reminders)
    const expiry = await runJob("waitlistOffers", new Date(Date.now() + 31 * 60_000).toISOString());
    expect(expiry.offersExpired).toBeGreaterThanOrEqual(1);
    const earlyOffers = await eventually(
      () => api("GET", "/v1/me/waitlist-offers", { token: early.token }),
      (list) => list.body.items.length > 0,
    );
    expect(earlyOffers.body.items[0].status).toBe("open");
    const lapsed = await api("POST", `/v1/waitlist-offers/${elderOffers.body.items[0].offerId}/accept`, {
      token: elder.token,
    });
    expect(lapsed.body.error.code).toBe("OFFER_EXPIRED");
    const taken = await api("POST", `/v1/waitlist-offers/${earlyOffers.body.items[0].offerId}/accept`, {
      token: early.token,
    });
    expect(taken.status).toBe(201);
    expect(taken.body.status).toBe("booked");
    expect(await slotCounter(slot!.slotId)).toBe(1);
    expect(await countItems(`SLOT#${slot!.slotId}`, "RES#")).toHaveLength(1);
  });
});

describe("rate limiting", () => {
  it("answers a burst of bookings from one account with 429s in the error shape, never a 5xx", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const resident = await signedResident(teamId, doctor);
    const [slot] = await publish(teamId, doctor, { date: addDays(tomorrow(), 5) });
    const results = await Promise.all(
      Array.from({ length: 60 }, () =>
        api("POST", "/v1/appointments", {
          token: resident.token,
          body: bookBody(slot!.slotId, resident.residentId),
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s < 500)).toBe(true);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.body.error.code).toBe("TOO_MANY_REQUESTS");
    // another account is not affected by this one's burst
    const other = await signedResident(teamId, doctor);
    expect(
      (
        await api("POST", "/v1/appointments", {
          token: other.token,
          body: bookBody(slot!.slotId, other.residentId),
        })
      ).status,
    ).toBe(201);
  });
});

describe("reminder push", () => {
  it("pushes a reminder to WeChat once where the family holds a grant, and to the inbox either way", async () => {
    const { teamId, doctor } = await newTeamWithDoctor();
    const openid = uniqueOpenid("remind");
    const token = await devLogin(openid);
    const profile = await api("PUT", "/v1/me/profile", {
      token,
      body: {
        name: "提醒测试",
        idType: "resident_id_card",
        idNumber: idNumberFor("1958-08-08"),
        phone: "13600002222",
        neighbourhoodId: "n_demo_1",
        address: "和平里一区 2 号",
        consents: { privacyPolicyVersion: "2026-01", healthData: true },
      },
    });
    const applied = await api("POST", "/v1/contracts", {
      token,
      body: applyBody(profile.body.residentId, teamId),
    });
    await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, { token: doctor });
    await api("POST", "/v1/me/subscriptions", {
      token,
      body: { results: { "tmpl-appointment-reminder": "accept" } },
    });
    await fetch(`${stack().wechatUrl}/__fake/subscriptions`, {
      method: "POST",
      body: JSON.stringify({ openid, templateId: "tmpl-appointment-reminder" }),
    });
    const [slot] = await publish(teamId, doctor, {
      date: addDays(tomorrow(), 6),
      startTime: "10:00",
      endTime: "10:30",
    });
    await api("POST", "/v1/appointments", { token, body: bookBody(slot!.slotId, profile.body.residentId) });
    const start = Date.parse(slot!.startsAt);
    await runJob("appointmentReminders", new Date(start - 23 * 3_600_000).toISOString());
    await runJob("appointmentReminders", new Date(start - 60 * 60_000).toISOString());
    const sent = (await (await fetch(`${stack().wechatUrl}/__fake/sent`)).json()) as {
      messages: { touser: string; template_id: string }[];
    };
    // one grant, two reminders: the first is pushed, the second reaches the inbox only
    expect(sent.messages.filter((m) => m.touser === openid)).toHaveLength(1);
    expect(await inboxTitles(profile.body.residentId)).toEqual(
      expect.arrayContaining(["明天的预约提醒", "预约即将开始"]),
    );
  });
});
