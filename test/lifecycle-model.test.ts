import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keys } from "../functions/data/keys.js";
import { HOLDS_PLACE } from "../functions/domain/contracts.js";
import { addDays, contractEndDate, todayInChina } from "../shared/dates.js";
import { type ApiResponse, api, devLogin, idNumberFor, newResident, uniqueOpenid } from "./support/api.js";
import { publish, soonWindow } from "./support/appointments.js";
import { applyBody, newTeamWithDoctor, runJob } from "./support/contracts.js";
import { lockProblems } from "./support/invariants.js";
import { stored } from "./support/stored.js";

/**
 * Model-based test of the lifecycles (issue: lifecycles that never get stuck). fast-check drives
 * random interleavings of what residents, representatives, teams and time do, through the real
 * gateway against DynamoDB Local, and after every step checks, from the table itself:
 * - each team's household and person counters = the households and persons with running contracts
 *   (counted from the run's start, since the two teams outlive a run);
 * - each household counts once at a team (its member count = its running contracts there);
 * - the slot counter and each resident's open-bookings counter = the appointments behind them;
 * - every signed lock points to a running contract and its switch back, and every contract holding
 *   a place has its lock (so nothing sits where no action can move it);
 * - after the end of the visit day, no visit is left open; after the renewal day, no term is left
 *   running past its end; after erasure, nothing holds a place;
 * - a doctor the manager removed can no longer act for the team.
 * JIAYI_MODEL_RUNS sets the number of runs (120 in `npm test`, which keeps CI well under its time; README names a nightly size); a failure
 * prints fast-check's seed and path, and JIAYI_MODEL_SEED replays it.
 */
const RUNS = Number(process.env.JIAYI_MODEL_RUNS ?? 120);
const SEED = process.env.JIAYI_MODEL_SEED ? Number(process.env.JIAYI_MODEL_SEED) : undefined;

interface Team {
  teamId: string;
  doctor: string;
  doctorUserId: string;
  /** Three 5-minute slots of 200 places today; runs take turns, so none fills up. */
  slotIds: string[];
}
interface Person {
  residentId: string;
  householdId: string;
  /** The account that acts for this person (a representative for the family member). */
  token: string;
  /** The account whose erasure erases this person. */
  account: number;
  erased: boolean;
}
interface Real {
  teams: Team[];
  /** Which of each team's slots this run books. */
  slot: number;
  people: Person[];
  contracts: Set<string>;
  appointments: Map<string, { residentId: string; teamIndex: number }>;
  baseline: { households: number; persons: number; booked: number }[];
  log: string[];
}
type Model = Record<string, never>;

const TERMINATION = { reason: "resident_choice" as const };
const okStatus = <T>(res: ApiResponse<T>): ApiResponse<T> => {
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
  return res;
};

type Contract = {
  contractId: string;
  status: string;
  teamId: string;
  householdId: string;
  residentId: string;
  switchFromContractId?: string;
  startDate?: string;
  endDate?: string;
};
const contract = (id: string | undefined) => (id ? stored<Contract>(keys.contract(id)) : undefined);
const lockOf = (p: Person) =>
  stored<{ contractId: string; pendingSwitchContractId?: string }>(keys.signedLock(p.residentId));
const teamOf = (r: Real, teamId: string) => r.teams.find((t) => t.teamId === teamId) as Team;

/** One action of the lifecycle: it may be refused (4xx), never 5xx, and the invariants hold after. */
class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly name: string,
    readonly act: (r: Real) => Promise<void>,
  ) {}
  check = () => true;
  async run(_m: Model, r: Real) {
    r.log.push(this.name);
    await this.act(r);
    await checkInvariants(r);
  }
  toString = () => this.name;
}

const person = fc.integer({ min: 0, max: 2 });
const teamIndex = fc.integer({ min: 0, max: 1 });
const side = fc.constantFrom("resident", "team");

/**
 * The i-th (cyclically) of the people an action applies to, with their contracts: actions aim at
 * someone they can act on, so short runs reach the combinations (a termination during a switch).
 */
async function pick(r: Real, i: number, applies: (s: Awaited<ReturnType<typeof running>>) => boolean) {
  const states = await Promise.all(r.people.map(async (p) => ({ p, ...(await running(p)) })));
  const candidates = states.filter((s) => !s.p.erased && applies(s));
  return candidates[i % Math.max(candidates.length, 1)];
}

async function running(p: Person) {
  const lock = await lockOf(p);
  return {
    lock,
    current: await contract(lock?.contractId),
    next: await contract(lock?.pendingSwitchContractId),
  };
}

function eraseStep(account: number) {
  return new Step(`erase(account ${account})`, async (r) => {
    const owner = r.people.find((p) => p.account === account && !p.erased);
    if (!owner) return;
    okStatus(await api("DELETE", "/v1/me", { token: owner.token }));
    for (const p of r.people) if (p.account === account) p.erased = true;
  });
}

/** The manager replaces a team's doctor: the old account is removed, a new one claims an invitation. */
const staffChange = teamIndex.map(
  (t) =>
    new Step(`manager replaces doctor(team ${t})`, async (r) => {
      const team = r.teams[t] as Team;
      const manager = await devLogin("demo-manager");
      okStatus(await api("DELETE", `/v1/centres/c_demo/staff/${team.doctorUserId}`, { token: manager }));
      const before = team.doctor;
      Object.assign(team, await doctorOf(team.teamId, manager));
      // The removed doctor's token no longer acts for the team, from the next request.
      const stale = await api("GET", `/v1/teams/${team.teamId}/contracts`, { token: before });
      expect([401, 403]).toContain(stale.status);
    }),
);

/** A new account that claims a doctor invitation of the team. */
async function doctorOf(teamId: string, manager: string) {
  const invitation = okStatus(
    await api("POST", "/v1/centres/c_demo/invitations", { token: manager, body: { role: "doctor", teamId } }),
  );
  const claimed = await api("POST", "/v1/invitations/claim", {
    token: await devLogin(uniqueOpenid("model-doctor")),
    body: { code: invitation.body.code, name: "模型医生" },
  });
  if (claimed.status !== 200) throw new Error(`claim: ${JSON.stringify(claimed.body)}`);
  return { doctor: claimed.body.token as string, doctorUserId: claimed.body.user.id as string };
}

const steps = [
  staffChange,
  fc.tuple(person, teamIndex).map(
    ([i, t]) =>
      new Step(`apply(${i}, team ${t})`, async (r) => {
        const p = r.people[i] as Person;
        if (p.erased) return;
        const res = okStatus(
          await api("POST", "/v1/contracts", {
            token: p.token,
            body: applyBody(p.residentId, (r.teams[t] as Team).teamId),
          }),
        );
        if (res.status === 201) r.contracts.add(res.body.contractId);
      }),
  ),
  fc.tuple(person, teamIndex).map(
    ([i, t]) =>
      new Step(`switch(${i} → team ${t})`, async (r) => {
        const chosen = await pick(r, i, (x) => x.current?.status === "active");
        if (!chosen?.current) return;
        const { p, current } = chosen;
        const res = okStatus(
          await api("POST", "/v1/contracts", {
            token: p.token,
            body: {
              ...applyBody(p.residentId, (r.teams[t] as Team).teamId),
              switchFromContractId: current.contractId,
            },
          }),
        );
        if (res.status === 201) r.contracts.add(res.body.contractId);
      }),
  ),
  fc.tuple(person, fc.constantFrom("approve", "reject", "withdraw")).map(
    ([i, verdict]) =>
      new Step(`${verdict}(${i})`, async (r) => {
        const isPending = (x: { current?: Contract; next?: Contract }) =>
          [x.next, x.current].find((c) => c?.status === "pending");
        const chosen = await pick(r, i, (x) => !!isPending(x));
        const pending = chosen && isPending(chosen);
        if (!chosen || !pending) return;
        const { p } = chosen;
        const token = verdict === "withdraw" ? p.token : teamOf(r, pending.teamId).doctor;
        const path = verdict === "approve" ? "approve" : verdict === "reject" ? "reject" : "withdraw";
        okStatus(
          await api("POST", `/v1/contracts/${pending.contractId}/${path}`, {
            token,
            body: verdict === "reject" ? { reason: "模型测试拒签" } : undefined,
          }),
        );
      }),
  ),
  fc.tuple(person, side).map(
    ([i, by]) =>
      new Step(`requestTermination(${i}, ${by})`, async (r) => {
        const chosen = await pick(r, i, (x) => !!x.current && x.current.status !== "pending");
        if (!chosen?.current) return;
        const { p, current } = chosen;
        const token = by === "resident" ? p.token : teamOf(r, current.teamId).doctor;
        okStatus(
          await api("POST", `/v1/contracts/${current.contractId}/termination`, { token, body: TERMINATION }),
        );
      }),
  ),
  person.map(
    (i) =>
      new Step(`confirmTermination(${i})`, async (r) => {
        const chosen = await pick(r, i, (x) => x.current?.status === "terminating");
        if (!chosen?.current) return;
        const { p, current } = chosen;
        const full = await api("GET", `/v1/contracts/${current.contractId}`, { token: p.token });
        const token =
          full.body.termination?.requestedBy === "team" ? p.token : teamOf(r, current.teamId).doctor;
        okStatus(await api("POST", `/v1/contracts/${current.contractId}/termination/confirm`, { token }));
      }),
  ),
  fc.tuple(person, side).map(
    ([i, by]) =>
      new Step(`cancelSwitch(${i}, ${by})`, async (r) => {
        const chosen = await pick(r, i, (x) => !!x.next);
        if (!chosen?.next) return;
        const { p, next } = chosen;
        const token = by === "resident" ? p.token : teamOf(r, next.teamId).doctor;
        okStatus(await api("POST", `/v1/contracts/${next.contractId}/switch/cancel`, { token }));
      }),
  ),
  fc.tuple(person, teamIndex).map(
    ([i, t]) =>
      new Step(`book(${i}, team ${t})`, async (r) => {
        const p = r.people[i] as Person;
        if (p.erased) return;
        const res = okStatus(
          await api("POST", "/v1/appointments", {
            token: p.token,
            body: { slotId: (r.teams[t] as Team).slotIds[r.slot], residentId: p.residentId },
          }),
        );
        if (res.status === 201)
          r.appointments.set(res.body.appointmentId, { residentId: p.residentId, teamIndex: t });
      }),
  ),
  fc.tuple(person, fc.constantFrom("cancel", "checked_in", "completed", "no_show")).map(
    ([i, what]) =>
      new Step(`visit ${what}(${i})`, async (r) => {
        const p = r.people[i] as Person;
        for (const [appointmentId, a] of r.appointments) {
          if (a.residentId !== p.residentId) continue;
          const team = r.teams[a.teamIndex] as Team;
          okStatus(
            what === "cancel"
              ? await api("POST", `/v1/appointments/${appointmentId}/cancel`, {
                  token: p.token,
                  body: { reason: "模型测试取消" },
                })
              : await api("POST", `/v1/appointments/${appointmentId}/status`, {
                  token: team.doctor,
                  body: { status: what },
                }),
          );
        }
      }),
  ),
  fc.integer({ min: 0, max: 1 }).map(eraseStep),
  fc.constant(
    new Step("renewal day", async (r) => {
      const day = addDays(contractEndDate(todayInChina()), 1);
      for (const t of r.teams)
        await runJob("contractRenewals", `${day}T00:10:00+08:00`, { teamId: t.teamId });
      // A renewal starts a new contract: the locks name them.
      for (const p of r.people) {
        const lock = await lockOf(p);
        if (lock) r.contracts.add(lock.contractId);
      }
      // Past its end day nothing is left running or waiting to start: every term was renewed,
      // ended or handed over to its switch.
      for (const c of await Promise.all([...r.contracts].map((id) => contract(id)))) {
        if (!c) continue;
        const stuck =
          ((c.status === "active" || c.status === "terminating") && (c.endDate ?? day) < day) ||
          (c.status === "scheduled" && (c.startDate ?? day) <= day);
        expect(
          stuck,
          `${c.contractId} ${c.status} ${c.startDate}–${c.endDate} after ${r.log.join(" → ")}`,
        ).toBe(false);
      }
    }),
  ),
  fc.constant(
    new Step("end of the visit day", async (r) => {
      const day = addDays(todayInChina(), 2);
      for (const t of r.teams)
        await runJob("contractRenewals", `${day}T00:10:00+08:00`, { teamId: t.teamId });
      for (const [appointmentId] of r.appointments) {
        const a = await stored<{ status: string }>(keys.appointment(appointmentId));
        expect(["booked", "checked_in"], `visit ${appointmentId} left open`).not.toContain(a?.status);
      }
    }),
  ),
];

async function checkInvariants(r: Real) {
  const why = `after ${r.log.join(" → ")}`;
  const people = r.people;
  const locks = await Promise.all(people.map(lockOf));
  for (const lock of locks) {
    if (lock) r.contracts.add(lock.contractId);
    if (lock?.pendingSwitchContractId) r.contracts.add(lock.pendingSwitchContractId);
  }
  const [contracts, appointments, teams, slots, households, counters] = await Promise.all([
    Promise.all([...r.contracts].map((id) => contract(id))),
    Promise.all(
      [...r.appointments].map(async ([id, a]) => ({
        ...a,
        status: (await stored<{ status: string }>(keys.appointment(id)))?.status,
      })),
    ),
    Promise.all(
      r.teams.map((t) => stored<{ signedHouseholds: number; signedPersons: number }>(keys.team(t.teamId))),
    ),
    Promise.all(r.teams.map((t) => stored<{ booked: number }>(keys.slot(t.slotIds[r.slot] as string)))),
    Promise.all(
      r.teams.flatMap((t) =>
        [...new Set(people.map((p) => p.householdId))].map(async (householdId) => ({
          teamId: t.teamId,
          householdId,
          members:
            (await stored<{ members: number }>(keys.householdAtTeam(t.teamId, householdId)))?.members ?? 0,
        })),
      ),
    ),
    Promise.all(people.map((p) => stored<{ open: number }>(keys.openBookings(p.residentId)))),
  ]);
  const holding = contracts.filter(
    (c): c is Contract => !!c && (HOLDS_PLACE as readonly string[]).includes(c.status),
  );
  // Locks and switches: nothing stranded.
  const items = [
    ...contracts.flatMap((c) => (c ? [{ ...c, type: "Contract" }] : [])),
    ...locks.flatMap((l, i) => (l ? [{ ...l, type: "SignedLock", pk: `RES#${people[i]?.residentId}` }] : [])),
  ];
  expect(lockProblems(items), why).toEqual([]);
  for (const [i, team] of r.teams.entries()) {
    const base = r.baseline[i] as Real["baseline"][number];
    const here = holding.filter((c) => c.teamId === team.teamId);
    expect(
      { households: teams[i]?.signedHouseholds, persons: teams[i]?.signedPersons },
      `team ${i} ${why}`,
    ).toEqual({
      households: base.households + new Set(here.map((c) => c.householdId)).size,
      persons: base.persons + here.length,
    });
    for (const h of households.filter((x) => x.teamId === team.teamId))
      expect(h.members, `household at team ${i} ${why}`).toBe(
        here.filter((c) => c.householdId === h.householdId).length,
      );
    // The slot: places taken = this run's appointments still holding one (cancelled give it back).
    const taken = appointments.filter((a) => a.teamIndex === i && a.status !== "cancelled").length;
    expect(slots[i]?.booked, `slot of team ${i} ${why}`).toBe(base.booked + taken);
  }
  for (const [i, p] of people.entries()) {
    const open = appointments.filter(
      (a) => a.residentId === p.residentId && (a.status === "booked" || a.status === "checked_in"),
    ).length;
    expect(counters[i]?.open ?? 0, `open bookings of ${p.residentId} ${why}`).toBe(open);
    if (p.erased) {
      expect(
        holding.filter((c) => c.residentId === p.residentId),
        `erased ${p.residentId} ${why}`,
      ).toEqual([]);
      // A visit under way (checked in) is the team's to record; nothing booked is left.
      const booked = appointments.filter((a) => a.residentId === p.residentId && a.status === "booked");
      expect(booked, `erased ${p.residentId} keeps a booking ${why}`).toEqual([]);
    }
  }
}

/**
 * Two accounts: one with a family member in the same household, one on its own. The account
 * holders start signed (with team 0 and team 1), so short runs reach switches and terminations.
 */
async function freshPeople(teams: readonly Team[]): Promise<Person[]> {
  const [a, b] = await Promise.all([newResident(), newResident()]);
  const member = await api("POST", "/v1/me/family", {
    token: a.token,
    body: {
      name: "模型家属",
      idType: "resident_id_card",
      idNumber: idNumberFor("1985-02-02", "female"),
      relation: "spouse",
    },
  });
  if (member.status !== 201) throw new Error(`family: ${JSON.stringify(member.body)}`);
  const household = async (residentId: string) =>
    String((await stored<{ householdId: string }>(keys.resident(residentId)))?.householdId);
  const person = async (residentId: string, token: string, account: number): Promise<Person> => ({
    residentId,
    householdId: await household(residentId),
    token,
    account,
    erased: false,
  });
  const people = await Promise.all([
    person(a.residentId, a.token, 0),
    person(member.body.residentId, a.token, 0),
    person(b.residentId, b.token, 1),
  ]);
  for (const [p, team] of [
    [people[0], teams[0]],
    [people[2], teams[1]],
  ] as const) {
    const applied = await api("POST", "/v1/contracts", {
      token: p?.token,
      body: applyBody(p?.residentId ?? "", team?.teamId ?? ""),
    });
    const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, {
      token: team?.doctor,
    });
    if (approved.status !== 200) throw new Error(`sign: ${JSON.stringify(approved.body)}`);
  }
  return people;
}

/** Runs are split over shards that run at once, each with its own two teams and slots. */
const SHARDS = 4;

describe("lifecycle model", () => {
  const seed = SEED ?? Date.now() % 2 ** 31;
  it.concurrent.each(Array.from({ length: SHARDS }, (_, shard) => shard))(
    `keeps every counter, lock and place exact through ${RUNS} random interleavings (shard %i of ${SHARDS})`,
    { timeout: 1_800_000 },
    async (shard) => {
      const soon = soonWindow();
      const teams: Team[] = [];
      const manager = await devLogin("demo-manager");
      for (let i = 0; i < 2; i++) {
        const t = await newTeamWithDoctor(800);
        const staff = await doctorOf(t.teamId, manager);
        const slots = await publish(t.teamId, staff.doctor, {
          date: soon.date,
          startTime: soon.startTime,
          endTime: soon.endTime,
          slotMinutes: 5,
          capacity: 200,
        });
        teams.push({ teamId: t.teamId, ...staff, slotIds: slots.map((x) => x.slotId) });
      }
      const runs = Math.ceil(RUNS / SHARDS);
      console.info(
        `lifecycle model shard ${shard}: ${runs} runs, seed ${seed + shard} (JIAYI_MODEL_SEED=${seed} repeats every shard)`,
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.commands(steps, { maxCommands: 8 }), async (commands) => {
          const slot = run++ % 3;
          // Counters before this run's people sign: the run's own contracts are counted on top.
          const baseline = await Promise.all(
            teams.map(async (t) => {
              const team = await stored<{ signedHouseholds: number; signedPersons: number }>(
                keys.team(t.teamId),
              );
              const booked = await stored<{ booked: number }>(keys.slot(t.slotIds[slot] as string));
              return {
                households: team?.signedHouseholds ?? 0,
                persons: team?.signedPersons ?? 0,
                booked: booked?.booked ?? 0,
              };
            }),
          );
          const people = await freshPeople(teams);
          const real: Real = {
            teams,
            slot,
            people,
            contracts: new Set(),
            appointments: new Map(),
            baseline,
            log: [],
          };
          await fc.asyncModelRun(() => ({ model: {}, real }), commands);
          // Every run ends by erasing its accounts: nothing of it may keep a place, and the next run
          // starts from counters no earlier run can still move.
          for (const step of [0, 1].map((account) => eraseStep(account))) await step.run({}, real);
        }),
        { numRuns: runs, seed: seed + shard, verbose: 1, endOnFailure: true },
      );
    },
  );
});
