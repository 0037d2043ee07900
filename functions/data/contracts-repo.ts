import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import type { ContractStatus, EntitlementType } from "../../shared/schemas/contracts.js";
import type { AppointmentRecord } from "../domain/appointments.js";
import { type Actor, type ContractRecord, residentMatches } from "../domain/contracts.js";
import { db, tableName } from "../lib/db.js";
import { transactWithinDoctorLimit } from "./doctor-limit.js";
import { get, queryAll, queryMatching, queryPage } from "./items.js";
import { keys } from "./keys.js";
import { statusTransition, type TransactItem, transact } from "./transactions.js";

/**
 * Contract storage. Every invariant that spans items is a condition inside one transaction:
 * one pending-or-running contract per resident (the SIGNED lock), team capacity in households
 * (a compare-and-set on the household's member count plus a capped team counter), and each state
 * change together with its history event.
 */

const T = () => tableName();
const MAX_ATTEMPTS = 8;

export const getContract = (contractId: string) => get<ContractRecord>(keys.contract(contractId));
const getHousehold = (teamId: string, householdId: string) =>
  get<{ members: number }>(keys.householdAtTeam(teamId, householdId));

const contractItem = (c: ContractRecord) => ({
  ...keys.contract(c.contractId),
  ...keys.contractByTeam(c.teamId, c.status, c.appliedAt, c.contractId),
  ...keys.contractByResident(c.residentId, c.appliedAt, c.contractId),
  type: "Contract",
  ...c,
});

export function eventItem(
  contractId: string,
  change: {
    event: string;
    from: ContractStatus | null;
    to: ContractStatus;
    actor: Actor;
    reason?: string;
    at: string;
  },
): TransactItem {
  return {
    Put: {
      TableName: T(),
      Item: {
        ...keys.contractEvent(contractId, change.at, ulid()),
        type: "ContractEvent",
        at: change.at,
        event: change.event,
        from: change.from,
        to: change.to,
        byRole: change.actor.kind,
        byUserId: change.actor.userId,
        reason: change.reason ?? null,
      },
    },
  };
}

/** Moves a contract from one status to another, failing if someone else moved it first. */
const statusUpdate = (
  c: ContractRecord,
  from: ContractStatus,
  to: ContractStatus,
  set: Record<string, unknown> = {},
  alsoRequire?: string,
) =>
  statusTransition(
    keys.contract(c.contractId),
    from,
    to,
    { ...set, gsi1sk: keys.contractByTeam(c.teamId, to, c.appliedAt, c.contractId).gsi1sk },
    alsoRequire,
  );

/** The resident's lock: the running contract, and a switch application pending or scheduled on it. */
export const getSignedLock = (residentId: string) =>
  get<{ contractId: string; teamId: string; pendingSwitchContractId?: string }>(keys.signedLock(residentId));

/** A switch can start from, or stay attached to, an active contract with no switch scheduled. */
const SWITCHABLE = "attribute_not_exists(switchToContractId)";

const switchSourceCheck = (contractId: string): TransactItem => ({
  ConditionCheck: {
    TableName: T(),
    Key: keys.contract(contractId),
    ConditionExpression: `#status = :active AND ${SWITCHABLE}`,
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":active": "active" },
  },
});

/** Joining a team: the household's first member takes a place, if the team has room. */
async function joinTeam(teamId: string, householdId: string): Promise<TransactItem[]> {
  const household = await getHousehold(teamId, householdId);
  const members = household?.members ?? 0;
  if (members === 0) {
    return [
      {
        Put: {
          TableName: T(),
          Item: {
            ...keys.householdAtTeam(teamId, householdId),
            type: "HouseholdAtTeam",
            teamId,
            householdId,
            members: 1,
          },
          ConditionExpression: "attribute_not_exists(pk) OR members = :zero",
          ExpressionAttributeValues: { ":zero": 0 },
        },
      },
      {
        Update: {
          TableName: T(),
          Key: keys.team(teamId),
          UpdateExpression:
            "SET signedHouseholds = signedHouseholds + :one, signedPersons = signedPersons + :one",
          ConditionExpression: "signedHouseholds < capacityHouseholds",
          ExpressionAttributeValues: { ":one": 1 },
        },
      },
    ];
  }
  return [
    {
      Update: {
        TableName: T(),
        Key: keys.householdAtTeam(teamId, householdId),
        UpdateExpression: "SET members = :next",
        ConditionExpression: "members = :seen",
        ExpressionAttributeValues: { ":seen": members, ":next": members + 1 },
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.team(teamId),
        UpdateExpression: "SET signedPersons = signedPersons + :one",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":one": 1 },
      },
    },
  ];
}

/** Leaving a team: the place is released only when the household's last member leaves. */
async function leaveTeam(teamId: string, householdId: string): Promise<TransactItem[]> {
  const members = (await getHousehold(teamId, householdId))?.members ?? 0;
  // No place to give back: another run (a redelivered page, a parallel request) has just ended
  // this contract. A failing check lets the transaction fail on the contract's own status instead,
  // so the caller sees "already done"; were the status still as read, the household retry gives up.
  if (members < 1)
    return [
      {
        ConditionCheck: {
          TableName: T(),
          Key: keys.householdAtTeam(teamId, householdId),
          ConditionExpression: "members > :zero",
          ExpressionAttributeValues: { ":zero": 0 },
        },
      },
    ];
  return [
    {
      Update: {
        TableName: T(),
        Key: keys.householdAtTeam(teamId, householdId),
        UpdateExpression: "SET members = :next",
        ConditionExpression: "members = :seen",
        ExpressionAttributeValues: { ":seen": members, ":next": members - 1 },
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.team(teamId),
        UpdateExpression:
          members === 1
            ? "SET signedHouseholds = signedHouseholds - :one, signedPersons = signedPersons - :one"
            : "SET signedPersons = signedPersons - :one",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":one": 1 },
      },
    },
  ];
}

/**
 * Retries a transaction built from fresh reads while only the household compare-and-set lost a
 * race; any other failed condition is returned to the caller to name.
 */
async function withHouseholdRetry(
  build: () => Promise<{ items: TransactItem[]; householdIndex: number }>,
): Promise<{ ok: true } | { ok: false; failed: number[] }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { items, householdIndex } = await build();
    const result = await transact(items);
    if (result.ok) return result;
    const onlyHousehold = result.failed.every((i) => i === householdIndex);
    if (!onlyHousehold) return result;
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
  }
  throw new Error("household place contention did not settle");
}

export type ApplyOutcome = "applied" | "already-signed" | "team-full" | "switch-unavailable";

export async function insertApplication(contract: ContractRecord, actor: Actor): Promise<ApplyOutcome> {
  const lock: TransactItem = contract.switchFromContractId
    ? {
        Update: {
          TableName: T(),
          Key: keys.signedLock(contract.residentId),
          UpdateExpression: "SET pendingSwitchContractId = :new",
          ConditionExpression: "contractId = :from AND attribute_not_exists(pendingSwitchContractId)",
          ExpressionAttributeValues: { ":new": contract.contractId, ":from": contract.switchFromContractId },
        },
      }
    : {
        Put: {
          TableName: T(),
          Item: {
            ...keys.signedLock(contract.residentId),
            type: "SignedLock",
            contractId: contract.contractId,
            teamId: contract.teamId,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      };
  // A switch's source must still be active with no switch on it: a termination requested
  // meanwhile, or another switch, rules this one out (checked with the lock, at index 1).
  const source = contract.switchFromContractId ? [switchSourceCheck(contract.switchFromContractId)] : [];
  const result = await withHouseholdRetry(async () => {
    const join = await joinTeam(contract.teamId, contract.householdId);
    const items: TransactItem[] = [
      lock,
      ...source,
      {
        Put: {
          TableName: T(),
          Item: contractItem(contract),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      eventItem(contract.contractId, {
        event: "applied",
        from: null,
        to: "pending",
        actor,
        at: contract.appliedAt,
      }),
    ];
    return { items: [...items, ...join], householdIndex: items.length };
  });
  if (result.ok) return "applied";
  if (result.failed.some((i) => i <= source.length))
    return contract.switchFromContractId ? "switch-unavailable" : "already-signed";
  return "team-full";
}

export async function approve(
  contract: ContractRecord,
  actor: Actor,
  dates: { startDate: string; endDate: string },
  at: string,
  switchFrom?: ContractRecord,
): Promise<boolean> {
  const approval = { at, byUserId: actor.userId };
  const items: TransactItem[] = switchFrom
    ? [
        statusUpdate(contract, "pending", "scheduled", { ...dates, approval }),
        {
          Update: {
            TableName: T(),
            Key: keys.contract(switchFrom.contractId),
            UpdateExpression: "SET switchToContractId = :to",
            ConditionExpression: "#status = :active AND attribute_not_exists(switchToContractId)",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: { ":to": contract.contractId, ":active": "active" },
          },
        },
        eventItem(contract.contractId, { event: "approved", from: "pending", to: "scheduled", actor, at }),
      ]
    : [
        statusUpdate(contract, "pending", "active", { ...dates, approval }),
        eventItem(contract.contractId, { event: "approved", from: "pending", to: "active", actor, at }),
        expiryItem(contract, dates.endDate),
      ];
  // Staff lifecycle (issue 12): the 2,000-residents-per-doctor limit, one ConditionCheck on the
  // team counter added by data/doctor-limit.ts (409 DOCTOR_FULL when only it fails).
  return transactWithinDoctorLimit(contract.teamId, items);
}

const expiryItem = (contract: ContractRecord, endDate: string): TransactItem => ({
  Put: {
    TableName: T(),
    Item: {
      ...keys.expiry(endDate, contract.teamId, contract.contractId),
      type: "ContractExpiry",
      contractId: contract.contractId,
    },
  },
});

/**
 * A contract handled at its expiry leaves the expiry index in the same transaction, so the daily
 * job's catch-up days read only what is still to do.
 */
const expiryDone = (contract: ContractRecord): TransactItem[] =>
  contract.endDate
    ? [
        {
          Delete: {
            TableName: T(),
            Key: keys.expiry(contract.endDate, contract.teamId, contract.contractId),
          },
        },
      ]
    : [];

/** Ends a pending application (rejected or withdrawn) and gives back its place. */
export async function closeApplication(
  contract: ContractRecord,
  to: "rejected" | "withdrawn",
  actor: Actor,
  at: string,
  reason?: string,
): Promise<boolean> {
  const release: TransactItem = contract.switchFromContractId
    ? {
        Update: {
          TableName: T(),
          Key: keys.signedLock(contract.residentId),
          UpdateExpression: "REMOVE pendingSwitchContractId",
          ConditionExpression: "pendingSwitchContractId = :c",
          ExpressionAttributeValues: { ":c": contract.contractId },
        },
      }
    : {
        Delete: {
          TableName: T(),
          Key: keys.signedLock(contract.residentId),
          ConditionExpression: "contractId = :c",
          ExpressionAttributeValues: { ":c": contract.contractId },
        },
      };
  const result = await withHouseholdRetry(async () => ({
    items: [
      statusUpdate(contract, "pending", to, to === "rejected" ? { rejectReason: reason } : {}),
      eventItem(contract.contractId, { event: to, from: "pending", to, actor, at, reason }),
      release,
      ...(await leaveTeam(contract.teamId, contract.householdId)),
    ],
    householdIndex: 3,
  }));
  return result.ok;
}

/**
 * Asks for a termination. Refused while a switch application is pending or scheduled on the
 * contract (the lock names it): the resident withdraws or cancels the switch first, so the two
 * never race to give the place back.
 */
export async function markTerminating(
  contract: ContractRecord,
  termination: NonNullable<ContractRecord["termination"]>,
  actor: Actor,
): Promise<"ok" | "changed" | "switch-in-progress"> {
  const result = await transact([
    statusUpdate(contract, "active", "terminating", { termination }, SWITCHABLE),
    eventItem(contract.contractId, {
      event: "termination_requested",
      from: "active",
      to: "terminating",
      actor,
      at: termination.requestedAt,
      reason: termination.reason,
    }),
    {
      ConditionCheck: {
        TableName: T(),
        Key: keys.signedLock(contract.residentId),
        ConditionExpression: "contractId = :c AND attribute_not_exists(pendingSwitchContractId)",
        ExpressionAttributeValues: { ":c": contract.contractId },
      },
    },
  ]);
  if (result.ok) return "ok";
  return result.failed.includes(2) && !result.failed.includes(0) ? "switch-in-progress" : "changed";
}

/** Ends a running contract: the lock and, if no household member stays, the team place are released. */
export async function endContract(
  contract: ContractRecord,
  from: "active" | "terminating",
  actor: Actor,
  at: string,
  event: string,
  endReason?: ContractRecord["endReason"],
): Promise<boolean> {
  const result = await withHouseholdRetry(async () => ({
    items: [
      statusUpdate(contract, from, "terminated", { terminatedAt: at, ...(endReason ? { endReason } : {}) }),
      eventItem(contract.contractId, {
        event,
        from,
        to: "terminated",
        actor,
        at,
        reason: endReason ?? contract.termination?.reason,
      }),
      {
        Delete: {
          TableName: T(),
          Key: keys.signedLock(contract.residentId),
          // A lock that carries a switch is never dropped with it: the switch is closed first.
          ConditionExpression: "contractId = :c AND attribute_not_exists(pendingSwitchContractId)",
          ExpressionAttributeValues: { ":c": contract.contractId },
        },
      },
      ...(await leaveTeam(contract.teamId, contract.householdId)),
      ...(contract.endDate
        ? [
            {
              Delete: {
                TableName: T(),
                Key: keys.expiry(contract.endDate, contract.teamId, contract.contractId),
              },
            },
          ]
        : []),
    ],
    householdIndex: 3,
  }));
  return result.ok;
}

/**
 * Renewal at expiry: a new term with the same team and packages; the place stays taken. A switch
 * application still pending (not yet approved) moves onto the new term with the lock, so it can
 * still be approved, rejected or withdrawn; approved, it takes effect when that term ends.
 */
export async function renew(
  old: ContractRecord,
  next: ContractRecord,
  at: string,
  pendingSwitchContractId?: string,
): Promise<boolean> {
  const system: Actor = { kind: "system", userId: "system" };
  const carried: TransactItem[] = pendingSwitchContractId
    ? [
        {
          Update: {
            TableName: T(),
            Key: keys.contract(pendingSwitchContractId),
            UpdateExpression: "SET switchFromContractId = :next",
            ConditionExpression: "#status = :pending AND switchFromContractId = :old",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":next": next.contractId,
              ":old": old.contractId,
              ":pending": "pending",
            },
          },
        },
      ]
    : [];
  const result = await transact([
    // A switch approved meanwhile (switchToContractId set) is completed instead, on the next try.
    statusUpdate(old, "active", "renewed", {}, SWITCHABLE),
    ...carried,
    { Put: { TableName: T(), Item: contractItem(next), ConditionExpression: "attribute_not_exists(pk)" } },
    {
      Update: {
        TableName: T(),
        Key: keys.signedLock(old.residentId),
        UpdateExpression: "SET contractId = :next",
        // The lock's pending switch must be the one carried over (or none).
        ConditionExpression: pendingSwitchContractId
          ? "contractId = :old AND pendingSwitchContractId = :switch"
          : "contractId = :old AND attribute_not_exists(pendingSwitchContractId)",
        ExpressionAttributeValues: {
          ":next": next.contractId,
          ":old": old.contractId,
          ...(pendingSwitchContractId ? { ":switch": pendingSwitchContractId } : {}),
        },
      },
    },
    eventItem(old.contractId, { event: "renewed", from: "active", to: "renewed", actor: system, at }),
    eventItem(next.contractId, { event: "renewal_started", from: null, to: "active", actor: system, at }),
    expiryItem(next, next.endDate ?? ""),
    ...expiryDone(old),
  ]);
  return result.ok;
}

/** 改签 at expiry: the old contract ends the day the scheduled one starts; no gap, no overlap. */
export async function completeSwitch(
  old: ContractRecord,
  next: ContractRecord,
  at: string,
): Promise<boolean> {
  const system: Actor = { kind: "system", userId: "system" };
  const result = await withHouseholdRetry(async () => ({
    items: [
      statusUpdate(old, "active", "switched"),
      statusUpdate(next, "scheduled", "active"),
      {
        Update: {
          TableName: T(),
          Key: keys.signedLock(old.residentId),
          UpdateExpression: "SET contractId = :next, teamId = :team REMOVE pendingSwitchContractId",
          ConditionExpression: "contractId = :old AND pendingSwitchContractId = :next",
          ExpressionAttributeValues: {
            ":next": next.contractId,
            ":old": old.contractId,
            ":team": next.teamId,
          },
        },
      },
      ...(await leaveTeam(old.teamId, old.householdId)),
      eventItem(old.contractId, { event: "switched", from: "active", to: "switched", actor: system, at }),
      eventItem(next.contractId, {
        event: "switch_started",
        from: "scheduled",
        to: "active",
        actor: system,
        at,
      }),
      expiryItem(next, next.endDate ?? ""),
      ...expiryDone(old),
    ],
    householdIndex: 3,
  }));
  return result.ok;
}

/**
 * Cancels a scheduled switch before it takes effect: the new contract is withdrawn and gives its
 * place back, the old one runs on (and renews) as if no switch had been asked for.
 */
export async function cancelScheduledSwitch(
  next: ContractRecord,
  actor: Actor,
  at: string,
): Promise<boolean> {
  const from = next.switchFromContractId ?? "";
  const result = await withHouseholdRetry(async () => ({
    items: [
      statusUpdate(next, "scheduled", "withdrawn", { endReason: "switch_cancelled" }),
      {
        Update: {
          TableName: T(),
          Key: keys.contract(from),
          UpdateExpression: "REMOVE switchToContractId",
          ConditionExpression: "switchToContractId = :next",
          ExpressionAttributeValues: { ":next": next.contractId },
        },
      },
      {
        Update: {
          TableName: T(),
          Key: keys.signedLock(next.residentId),
          UpdateExpression: "REMOVE pendingSwitchContractId",
          ConditionExpression: "pendingSwitchContractId = :next",
          ExpressionAttributeValues: { ":next": next.contractId },
        },
      },
      eventItem(next.contractId, {
        event: "switch_cancelled",
        from: "scheduled",
        to: "withdrawn",
        actor,
        at,
      }),
      ...(await leaveTeam(next.teamId, next.householdId)),
    ],
    householdIndex: 4,
  }));
  return result.ok;
}

/** One page of the contracts ending on a date (optionally one team's), with the next page's cursor. */
export const expiringPage = (endDate: string, teamId: string | undefined, limit: number, cursor?: string) => {
  const { pk, skPrefix } = keys.expiryPrefix(endDate, teamId);
  return queryPage<{ contractId: string }>({ partition: pk, skPrefix, limit, cursor });
};

/** A team's contracts on the index: one status by its prefix, or all of them newest first. */
const teamContractsIndex = (teamId: string, status: ContractStatus | undefined) => ({
  index: "gsi1" as const,
  partition: keys.contractsOfTeam(teamId).gsi1pk,
  skPrefix: status ? `${status}#` : undefined,
  newestFirst: !status,
});

export const listTeamContracts = (
  teamId: string,
  status: ContractStatus | undefined,
  limit: number,
  cursor?: string,
) => queryPage<ContractRecord>({ ...teamContractsIndex(teamId, status), limit, cursor, fresh: true });

/**
 * A team's contracts whose resident matches a search (see residentMatches), in listTeamContracts'
 * order. At most 500 index items are read per page: a sparse search answers a short page with a
 * cursor rather than reading a whole team's history in one request.
 */
export const searchTeamContracts = (
  teamId: string,
  status: ContractStatus | undefined,
  q: string,
  limit: number,
  cursor?: string,
) =>
  queryMatching<ContractRecord>({
    ...teamContractsIndex(teamId, status),
    limit,
    cursor,
    matches: (c) => residentMatches(c.resident, q),
    maxRead: 500,
  });

export const listResidentContracts = (residentId: string, limit: number, cursor?: string) =>
  queryPage<ContractRecord>({
    index: "gsi2",
    partition: keys.contractsOfResident(residentId).gsi2pk,
    limit,
    cursor,
    newestFirst: true,
    fresh: true,
  });

export const listEvents = (contractId: string) => {
  const { pk, skPrefix } = keys.contractEventsPrefix(contractId);
  return queryAll<{
    at: string;
    event: string;
    from: ContractStatus | null;
    to: ContractStatus;
    byRole: Actor["kind"];
    reason: string | null;
  }>(pk, skPrefix);
};

export interface ServiceRecordItem {
  serviceId: string;
  contractId: string;
  /** Not `type`: that attribute names every item's entity type in the single table. */
  serviceType: ContractRecord["packages"][number]["items"][number]["type"];
  deliveredAt: string;
  place: string;
  notes: string | null;
  outcome: string | null;
  staffUserId: string;
  staffName: string;
  source: "manual" | "appointment" | "lecture";
}

/**
 * Records a delivered service and counts it on the contract, once per serviceId: a retried
 * request or a replayed appointment event finds the id taken and changes nothing.
 */
export function serviceItems(service: ServiceRecordItem): TransactItem[] {
  return [
    {
      Put: {
        TableName: T(),
        Item: { ...keys.contractServiceId(service.contractId, service.serviceId), type: "ServiceId" },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Put: {
        TableName: T(),
        Item: {
          ...keys.contractService(service.contractId, service.deliveredAt, service.serviceId),
          type: "Service",
          ...service,
        },
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.contract(service.contractId),
        UpdateExpression: "SET delivered.#t = if_not_exists(delivered.#t, :zero) + :one",
        ConditionExpression: "#status IN (:active, :terminating)",
        ExpressionAttributeNames: { "#t": service.serviceType, "#status": "status" },
        ExpressionAttributeValues: {
          ":zero": 0,
          ":one": 1,
          ":active": "active",
          ":terminating": "terminating",
        },
      },
    },
  ];
}

/**
 * Takes back a service recorded in error (a visit outcome corrected): the record stays, marked
 * voided, so the history shows the correction and the stream projector counts it down; the id is
 * freed so a later correction back can record it again.
 */
export function voidServiceItems(
  service: NonNullable<AppointmentRecord["service"]>,
  at: string,
): TransactItem[] {
  return [
    { Delete: { TableName: T(), Key: keys.contractServiceId(service.contractId, service.serviceId) } },
    {
      Update: {
        TableName: T(),
        Key: keys.contractService(service.contractId, service.deliveredAt, service.serviceId),
        UpdateExpression: "SET voidedAt = :at",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(voidedAt)",
        ExpressionAttributeValues: { ":at": at },
      },
    },
    {
      Update: {
        TableName: T(),
        Key: keys.contract(service.contractId),
        UpdateExpression: "SET delivered.#t = delivered.#t - :one",
        ConditionExpression: "delivered.#t > :zero",
        ExpressionAttributeNames: { "#t": service.serviceType },
        ExpressionAttributeValues: { ":zero": 0, ":one": 1 },
      },
    },
  ];
}

export async function recordService(
  service: ServiceRecordItem,
): Promise<"recorded" | "duplicate" | "not-running"> {
  const result = await transact(serviceItems(service));
  if (result.ok) return "recorded";
  return result.failed.includes(0) ? "duplicate" : "not-running";
}

/** Pages of a contract's services read when looking for the last of some types (a year's services). */
const LAST_DELIVERED_PAGES = 5;

/**
 * When each of these service types was last delivered on the contract (voided records left out):
 * its services newest first, only the two attributes, until every type is found. The contract's
 * services are a year's worth, so this is a page or two and never grows with residents.
 */
export async function lastDelivered(
  contractId: string,
  types: readonly EntitlementType[],
): Promise<Partial<Record<EntitlementType, string>>> {
  const found: Partial<Record<EntitlementType, string>> = {};
  if (types.length === 0) return found;
  const { pk, skPrefix } = keys.contractServicesPrefix(contractId);
  const wanted = Object.fromEntries(types.map((t, i) => [`:t${i}`, t]));
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < LAST_DELIVERED_PAGES; page++) {
    const out = await db.send(
      new QueryCommand({
        TableName: T(),
        ConsistentRead: true,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
        FilterExpression: `#t IN (${Object.keys(wanted).join(", ")}) AND attribute_not_exists(voidedAt)`,
        ProjectionExpression: "#t, deliveredAt",
        ExpressionAttributeNames: { "#t": "serviceType" },
        ExpressionAttributeValues: { ":pk": pk, ":sk": skPrefix, ...wanted },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const type = item.serviceType as EntitlementType;
      if (!found[type] && typeof item.deliveredAt === "string") found[type] = item.deliveredAt;
    }
    start = out.LastEvaluatedKey;
    if (!start || types.every((t) => found[t])) break;
  }
  return found;
}

export const listServices = (contractId: string, limit: number, cursor?: string) =>
  queryPage<ServiceRecordItem>({
    partition: keys.contractServicesPrefix(contractId).pk,
    skPrefix: keys.contractServicesPrefix(contractId).skPrefix,
    limit,
    cursor,
    newestFirst: true,
  });

/**
 * After erasure a contract keeps only what statistics need: the masked snapshot goes too. `known`
 * are contracts read through the lock, which the resident index may not list yet.
 */
export async function anonymiseResidentContracts(
  residentId: string,
  known: readonly string[] = [],
): Promise<void> {
  let cursor: string | undefined;
  let first = true;
  do {
    const page = await listResidentContracts(residentId, 100, cursor);
    const ids = new Set(page.items.map((c) => c.contractId));
    if (first) for (const id of known) ids.add(id);
    first = false;
    await Promise.all(
      [...ids].map((contractId) =>
        db.send(
          new UpdateCommand({
            TableName: T(),
            Key: keys.contract(contractId),
            UpdateExpression: "REMOVE #r",
            ExpressionAttributeNames: { "#r": "resident" },
          }),
        ),
      ),
    );
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
