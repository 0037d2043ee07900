import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
} from "@aws-sdk/lib-dynamodb";
import { keys } from "../functions/data/keys.js";
import {
  type Projection,
  projectAppointment,
  projectContract,
  projectFollowUp,
  projectInbox,
  projectNotice,
  projectRegistration,
  projectService,
  projectSurveyResponse,
} from "../functions/domain/reports.js";

/**
 * Recomputes a centre-month's report counters (the `STATS#<centre>#<month>` items the stream
 * projector keeps: CENTRE and one per team) from the facts, with the projector's own rules
 * (functions/domain/reports.ts), and writes them in place of what is there.
 *
 * The projector counts each change as it streams by; the facts keep enough to replay every change
 * it counts: a contract's status history is its ContractEvent items (from → to, at); the other
 * counted items change in one direction only (booked → outcome, unread → read, registered →
 * attended), so their current image, counted as one insert, moves the same counters as the changes
 * did. Month boundaries use the facts' own times where the projector used the stream record's
 * (the same instant, give or take the write's milliseconds).
 *
 * One Scan of the table (an operator's command, never a request path) filtered to these types.
 */
type Image = Record<string, unknown>;

const FACT_TYPES = [
  "Contract",
  "ContractEvent",
  "Appointment",
  "Service",
  "Notice",
  "InboxMessage",
  "LectureRegistration",
  "SurveyResponse",
  "FollowUp",
] as const;

export interface CounterItem {
  /** "CENTRE" or "TEAM#<teamId>". */
  scope: string;
  counters: Record<string, number>;
}

export interface ReplayResult {
  before: CounterItem[];
  after: CounterItem[];
  /** Whether the counters were written (false for a dry run). */
  written: boolean;
}

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

async function scanFacts(db: DynamoDBDocumentClient, tableName: string): Promise<Image[]> {
  const out: Image[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: `#type IN (${FACT_TYPES.map((_, i) => `:t${i}`).join(", ")})`,
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: Object.fromEntries(FACT_TYPES.map((t, i) => [`:t${i}`, t])),
        ExclusiveStartKey: start,
        // Strongly consistent, as the projector's own reads are.
        ConsistentRead: true,
      }),
    );
    out.push(...((page.Items ?? []) as Image[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Every projection the facts imply, for all centres and months. */
export function projectionsOf(facts: readonly Image[]): Projection[] {
  const byType = (type: string) => facts.filter((f) => f.type === type);
  const contracts = new Map(byType("Contract").map((c) => [String(c.pk), c]));
  const notices = new Map(byType("Notice").map((n) => [String(n.noticeId), n]));
  const out: (Projection | null)[] = [];

  const events = byType("ContractEvent").sort((a, b) =>
    `${a.pk}\u0000${a.sk}` < `${b.pk}\u0000${b.sk}` ? -1 : 1,
  );
  for (const event of events) {
    const contract = contracts.get(String(event.pk));
    const to = str(event.to);
    const at = str(event.at);
    if (!contract || !to || !at) continue;
    // The change as the stream carried it: the contract before (none when created) and after.
    const from = str(event.from);
    out.push(
      projectContract(from ? { ...contract, status: from } : undefined, { ...contract, status: to }, at),
    );
  }
  for (const appointment of byType("Appointment")) out.push(projectAppointment(undefined, appointment));
  for (const service of byType("Service"))
    out.push(projectService(service, contracts.get(keys.contract(String(service.contractId)).pk)));
  for (const notice of notices.values()) {
    const at = str(notice.publishedAt) ?? str(notice.publishAt);
    if (at) out.push(projectNotice(undefined, notice, at));
  }
  for (const message of byType("InboxMessage")) {
    const sentAt = str(message.sentAt);
    if (sentAt) out.push(projectInbox(undefined, message, notices.get(String(message.noticeId)), sentAt));
  }
  for (const registration of byType("LectureRegistration")) {
    const at = str(registration.registeredAt);
    if (at)
      out.push(projectRegistration(undefined, registration, notices.get(String(registration.noticeId)), at));
  }
  for (const response of byType("SurveyResponse")) out.push(projectSurveyResponse(undefined, response));
  for (const followUp of byType("FollowUp")) out.push(projectFollowUp(undefined, followUp));
  return out.filter((p): p is Projection => p !== null);
}

/** The counter items of one centre-month, as the projector's ADDs would have left them. */
export function countersOf(
  projections: readonly Projection[],
  centreId: string,
  month: string,
): CounterItem[] {
  const items = new Map<string, Record<string, number>>();
  const add = (scope: string, field: string, by: number) => {
    const counters = items.get(scope) ?? {};
    counters[field] = (counters[field] ?? 0) + by;
    items.set(scope, counters);
  };
  for (const p of projections) {
    if (p.centreId !== centreId) continue;
    for (const c of p.counters) {
      if (c.month !== month) continue;
      add("CENTRE", c.field, c.by);
      if (c.teamId) add(`TEAM#${c.teamId}`, c.field, c.by);
    }
  }
  // The projector writes no ADD of 0, so a field that never moved is absent, not 0.
  return sortItems(
    [...items].flatMap(([scope, all]) => {
      const counters = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== 0));
      return Object.keys(counters).length ? [{ scope, counters }] : [];
    }),
  );
}

const sortItems = (items: CounterItem[]) => items.sort((a, b) => (a.scope < b.scope ? -1 : 1));

async function storedCounters(
  db: DynamoDBDocumentClient,
  tableName: string,
  centreId: string,
  month: string,
): Promise<CounterItem[]> {
  const out: CounterItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": keys.reportCountersOfMonth(centreId, month).pk },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const counters: Record<string, number> = {};
      for (const [k, v] of Object.entries(item)) if (typeof v === "number") counters[k] = v;
      out.push({ scope: String(item.sk), counters });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return sortItems(out);
}

/**
 * The month's net movement of the teams' signed households and persons comes from the Team item's
 * changes, which leave no history to replay: those counters are kept as the projector wrote them.
 */
const TEAM_NETS = ["net_signedHouseholds", "net_signedPersons"];

export function keepTeamNets(before: readonly CounterItem[], after: CounterItem[]): CounterItem[] {
  for (const item of before) {
    const kept = Object.entries(item.counters).filter(([k, v]) => TEAM_NETS.includes(k) && v !== 0);
    if (!kept.length) continue;
    let into = after.find((a) => a.scope === item.scope);
    if (!into) {
      into = { scope: item.scope, counters: {} };
      after.push(into);
    }
    for (const [k, v] of kept) into.counters[k] = v;
  }
  return sortItems(after);
}

export async function replayStats(
  db: DynamoDBDocumentClient,
  tableName: string,
  centreId: string,
  month: string,
  options: { dryRun?: boolean } = {},
): Promise<ReplayResult> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`month must be YYYY-MM, not ${month}`);
  const before = await storedCounters(db, tableName, centreId, month);
  const after = keepTeamNets(
    before,
    countersOf(projectionsOf(await scanFacts(db, tableName)), centreId, month),
  );
  if (options.dryRun) return { before, after, written: false };

  // Whole items in place of the old ones (a Put drops a stale field); scopes no fact counts go.
  const puts = after.map(({ scope, counters }) => ({
    PutRequest: {
      Item: {
        ...keys.reportCounter(centreId, month, scope),
        type: "ReportCounter",
        centreId,
        month,
        ...(scope.startsWith("TEAM#") ? { teamId: scope.slice("TEAM#".length) } : {}),
        ...counters,
      },
    },
  }));
  const deletes = before
    .filter((b) => !after.some((a) => a.scope === b.scope))
    .map((b) => ({ DeleteRequest: { Key: keys.reportCounter(centreId, month, b.scope) } }));
  const requests = [...puts, ...deletes];
  for (let i = 0; i < requests.length; i += 25) {
    let pending: BatchWriteCommandInput["RequestItems"] = { [tableName]: requests.slice(i, i + 25) };
    for (let attempt = 0; pending && Object.keys(pending).length; attempt++) {
      if (attempt > 8) throw new Error("DynamoDB kept items of the batch unprocessed");
      const out: { UnprocessedItems?: BatchWriteCommandInput["RequestItems"] } = await db.send(
        new BatchWriteCommand({ RequestItems: pending }),
      );
      pending = out.UnprocessedItems;
      if (pending && Object.keys(pending).length) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
  return { before, after, written: true };
}
