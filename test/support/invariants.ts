import { type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { HOLDS_PLACE } from "../../functions/domain/contracts.js";

/**
 * The table's invariants, checked over every item after a suite (a Scan is fine in a test, never in
 * a request path): each counter equals the facts behind it. A counter below its facts lost an
 * update; above them, counted one twice.
 */
type Item = Record<string, unknown>;

export interface InvariantReport {
  checked: number;
  lost: number;
  doubleCounted: number;
  violations: string[];
}

const OPEN_APPOINTMENT = new Set(["booked", "checked_in"]);

async function scanAll(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start as never }),
    );
    for (const raw of out.Items ?? []) items.push(unmarshall(raw));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Waits until the SQS stand-in has no message waiting or in flight (bounded), so counters settle. */
async function queuesDrained(sqsUrl: string) {
  for (let i = 0; i < 150; i++) {
    const stats = await Promise.all(
      ["jiayi-notices", "jiayi-reminders"].map(
        async (q) =>
          (await (await fetch(`${sqsUrl}/__fake/sqs/${q}/stats`)).json()) as {
            waiting: number;
            inFlight: number;
          },
      ),
    );
    if (stats.every((s) => s.waiting === 0 && s.inFlight === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function checkInvariants(options: {
  client: DynamoDBClient;
  tableName: string;
  sqsUrl: string;
}): Promise<InvariantReport> {
  await queuesDrained(options.sqsUrl);
  const items = await scanAll(options.client, options.tableName);
  const report: InvariantReport = { checked: 0, lost: 0, doubleCounted: 0, violations: [] };
  const compare = (what: string, counter: number, facts: number) => {
    report.checked++;
    if (counter === facts) return;
    if (counter < facts) report.lost += facts - counter;
    else report.doubleCounted += counter - facts;
    report.violations.push(`${what}: counter ${counter}, facts ${facts}`);
  };
  const ofType = (type: string) => items.filter((i) => i.type === type);
  const count = <K>(list: Item[], keyOf: (i: Item) => K) => {
    const counts = new Map<K, number>();
    for (const i of list) counts.set(keyOf(i), (counts.get(keyOf(i)) ?? 0) + 1);
    return counts;
  };

  // Slots: places taken = booking markers = appointments of the slot still holding a place, plus
  // the places held for a waiting resident by an open waitlist offer.
  const offers = count(
    ofType("WaitlistOffer").filter((o) => o.status === "open"),
    (o) => `SLOT#${String(o.slotId)}`,
  );
  const markers = count(ofType("SlotBooking"), (i) => String(i.pk));
  const appointments = ofType("Appointment");
  const holding = count(
    appointments.filter((a) => a.status !== "cancelled"),
    (a) => `SLOT#${String(a.slotId)}`,
  );
  for (const slot of ofType("Slot")) {
    const held = offers.get(String(slot.pk)) ?? 0;
    const booked = Number(slot.booked ?? 0);
    compare(
      `slot ${String(slot.slotId)} booked vs markers`,
      booked,
      (markers.get(String(slot.pk)) ?? 0) + held,
    );
    compare(
      `slot ${String(slot.slotId)} booked vs appointments`,
      booked,
      (holding.get(String(slot.pk)) ?? 0) + held,
    );
  }

  // A resident's open bookings = their booked or checked-in appointments.
  const open = count(
    appointments.filter((a) => OPEN_APPOINTMENT.has(String(a.status))),
    (a) => `RES#${String(a.residentId)}`,
  );
  for (const counter of ofType("OpenBookings"))
    compare(
      `open bookings of ${String(counter.pk)}`,
      Number(counter.open ?? 0),
      open.get(String(counter.pk)) ?? 0,
    );

  // Teams: households holding a place = household markers with members; persons = contracts
  // holding a place. Teams a test filled straight in the table (fixture: true) have no counters.
  const households = count(
    ofType("HouseholdAtTeam").filter((h) => Number(h.members ?? 0) > 0),
    (i) => String(i.pk),
  );
  const persons = count(
    ofType("Contract").filter((c) => (HOLDS_PLACE as readonly string[]).includes(String(c.status))),
    (c) => `TEAM#${String(c.teamId)}`,
  );
  for (const team of ofType("Team").filter((t) => t.fixture !== true)) {
    compare(
      `team ${String(team.teamId)} households`,
      Number(team.signedHouseholds ?? 0),
      households.get(String(team.pk)) ?? 0,
    );
    compare(
      `team ${String(team.teamId)} persons`,
      Number(team.signedPersons ?? 0),
      persons.get(String(team.pk)) ?? 0,
    );
  }
  // Every open visit is on its day's closing list (else it would never close), and the lists hold
  // nothing that is already final. Appointments a test wrote straight in the table (fixture: true)
  // stand for stream images, not bookings.
  const onList = new Set(ofType("OpenVisit").map((v) => String(v.appointmentId)));
  const openIds = new Set(
    appointments
      .filter((a) => OPEN_APPOINTMENT.has(String(a.status)) && a.fixture !== true)
      .map((a) => String(a.appointmentId)),
  );
  compare(
    "open visits missing from the closing lists",
    0,
    [...openIds].filter((id) => !onList.has(id)).length,
  );
  compare("closing-list entries of final visits", 0, [...onList].filter((id) => !openIds.has(id)).length);

  // The team's work-list (issue 16): each kind's count = its open items; each care roster's count
  // (chronic patients, assessments done) = its entries (each moved in the same transaction).
  const workItems = count(ofType("WorkItem"), (i) => `${String(i.teamId)}#${String(i.kind)}`);
  const rosterEntries = count(ofType("CareRoster"), (i) => `${String(i.teamId)}#${String(i.roster)}`);
  const ROSTER_FIELDS: Record<string, string> = { chronicPatients: "chronic", assessmentsDone: "assessed" };
  for (const counts of ofType("WorkCounts")) {
    const teamId = String(counts.teamId);
    for (const [field, value] of Object.entries(counts)) {
      if (typeof value !== "number" || field === "version") continue;
      const roster = ROSTER_FIELDS[field];
      compare(
        `work-list ${teamId} ${field}`,
        value,
        (roster ? rosterEntries.get(`${teamId}#${roster}`) : workItems.get(`${teamId}#${field}`)) ?? 0,
      );
    }
  }

  for (const problem of lockProblems(items)) {
    report.checked++;
    report.violations.push(problem);
  }
  report.checked += ofType("SignedLock").length;
  return report;
}

/**
 * Every signed lock points to a contract holding a place, and its switch (if any) to a pending or
 * scheduled contract that names it back; every contract holding a place has its resident's lock.
 */
export function lockProblems(items: readonly Item[]): string[] {
  const contracts = new Map(
    items.filter((i) => i.type === "Contract").map((c) => [String(c.contractId), c] as const),
  );
  const holds = (c: Item | undefined) => !!c && (HOLDS_PLACE as readonly string[]).includes(String(c.status));
  const problems: string[] = [];
  const locked = new Set<string>();
  for (const lock of items.filter((i) => i.type === "SignedLock")) {
    const running = contracts.get(String(lock.contractId));
    locked.add(String(lock.contractId));
    if (!holds(running) || running?.status === "scheduled")
      problems.push(
        `lock ${String(lock.pk)} points to ${String(lock.contractId)} (${String(running?.status)})`,
      );
    if (lock.pendingSwitchContractId) {
      const next = contracts.get(String(lock.pendingSwitchContractId));
      locked.add(String(lock.pendingSwitchContractId));
      if (!next || !["pending", "scheduled"].includes(String(next.status)))
        problems.push(
          `lock ${String(lock.pk)} switch ${String(lock.pendingSwitchContractId)} is ${String(next?.status)}`,
        );
      else if (next.switchFromContractId !== lock.contractId)
        problems.push(
          `switch ${String(next.contractId)} is from ${String(next.switchFromContractId)}, lock on ${String(lock.contractId)}`,
        );
    }
  }
  // Contracts a test wrote straight in the table, in a team marked `fixture: true`, have no locks.
  const fixtureTeams = new Set(
    items.filter((i) => i.type === "Team" && i.fixture === true).map((t) => String(t.teamId)),
  );
  for (const c of contracts.values())
    if (holds(c) && !fixtureTeams.has(String(c.teamId)) && !locked.has(String(c.contractId)))
      problems.push(`contract ${String(c.contractId)} (${String(c.status)}) holds a place without a lock`);
  return problems;
}

export interface StackSummary {
  name: string;
  faults: { requests: number; calls: number; seed: number; injected: Record<string, number> };
  invariants: InvariantReport;
}

/** The closing line of one stack's run, e.g. the fault run's, kept in bench/REPORT.md. */
export function stackSummaryLine(s: StackSummary): { ok: boolean; text: string } {
  const injected = Object.entries(s.faults.injected)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
  const faults = Object.values(s.faults.injected).some((n) => n > 0)
    ? `faults injected: ${injected} (seed ${s.faults.seed})`
    : "no faults injected";
  const { checked, lost, doubleCounted, violations } = s.invariants;
  const text = `${s.name} run: requests ${s.faults.requests}, AWS calls ${s.faults.calls}, ${faults}; invariants checked ${checked}, lost ${lost}, double-counted ${doubleCounted}${violations.length ? `\n  ${violations.slice(0, 20).join("\n  ")}` : ""}`;
  return { ok: violations.length === 0, text };
}
