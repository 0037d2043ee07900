/**
 * Section 6: a deployed month for a district of 100,000 residents, from the units measured in this
 * run and public list prices. Prices for cn-north-1 (CNY) are not known here with confidence, so
 * these are us-east-1 (USD) list prices; the region's own price list must replace them for a real
 * budget. No network here: the prices were not fetched during the run.
 */
import { round } from "./util.js";

export const PRICES = {
  region: "us-east-1 (USD) — cn-north-1 CNY prices not known with confidence, not used",
  asOf: "AWS public price pages as of 2025 (DynamoDB on-demand after the 2024-11-01 reduction); not fetched by this run",
  dynamoWriteRequestUnitPerMillion: 0.625,
  dynamoReadRequestUnitPerMillion: 0.125,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequestPerMillion: 0.2,
  httpApiPerMillion: 1.0,
  sqsPerMillion: 0.4,
  logsIngestPerGb: 0.5,
};

export const ASSUMPTIONS = {
  residents: 100_000,
  signedShare: 0.4,
  /** API reads (home, lists, inbox, slots) per registered resident per month. */
  readRequestsPerResident: 6,
  bookingsPerSignedResidentPerMonth: 0.25,
  /** New or renewed contracts per month: every signed resident once a year. */
  contractsPerMonthShareOfSigned: 1 / 12,
  /** Notices reaching every signed resident per month (team and centre notices together). */
  noticesPerSignedResidentPerMonth: 4,
  /** Staff and managers: reports, scores, lists, per month for the district. */
  staffRequests: 60_000,
  lambdaMemoryGb: 0.5,
  logBytesPerRequest: 1_000,
  storageKbPerResident: 8,
};

// biome-ignore lint/suspicious/noExplicitAny: reads the loose results document
export function monthlyCost(results: Record<string, any>) {
  const s = results.sections ?? {};
  const a = ASSUMPTIONS;
  const p = PRICES;
  const signed = a.residents * a.signedShare;
  const perBooking = s.writeUnits?.perBooking;
  const perContract = s.writeUnits?.perSignedContract;
  const perDelivered = s.fanout?.perDelivered;
  const overhead = s.overhead?.samples;
  const avg = (vals: (number | undefined)[]) => {
    const v = vals.filter((x): x is number => typeof x === "number");
    return v.length ? v.reduce((x, y) => x + y, 0) / v.length : undefined;
  };
  // Residents' reads: getMe and listSlots as measured; staff reads: the four scale-test reads at 50k.
  const residentRru = avg([
    s.overhead?.unitsPerRequest?.getMe?.read,
    s.overhead?.unitsPerRequest?.listSlots?.read,
  ]);
  const staffRru = avg(((s.scale?.reads ?? []) as { at50k?: { read: number } }[]).map((r) => r.at50k?.read));
  if (
    !perBooking ||
    !perContract ||
    !perDelivered ||
    !overhead ||
    residentRru === undefined ||
    staffRru === undefined
  )
    return { status: "not computed: a measured input is missing", prices: PRICES, assumptions: ASSUMPTIONS };

  const residentReads = a.residents * a.readRequestsPerResident;
  const reads = residentReads + a.staffRequests;
  const bookings = signed * a.bookingsPerSignedResidentPerMonth;
  const contracts = signed * a.contractsPerMonthShareOfSigned;
  const deliveries = signed * a.noticesPerSignedResidentPerMonth;
  const apiRequests = reads + bookings + contracts * 2;
  const wru = bookings * perBooking.write + contracts * perContract.write + deliveries * perDelivered.write;
  const rru =
    residentReads * residentRru +
    a.staffRequests * staffRru +
    bookings * perBooking.read +
    contracts * perContract.read +
    deliveries * perDelivered.read;
  // Lambda time: measured gateway p50 of a read and a booking stand in for handler duration.
  const readSec = (overhead.getMe?.p50 ?? 20) / 1000;
  const writeSec = (overhead.bookAppointment?.p50 ?? 40) / 1000;
  const fanSecPerDelivered = s.fanout?.deliverMs
    ? s.fanout.deliverMs / 1000 / Math.max(1, s.fanout.delivered)
    : 0.005;
  const gbSeconds =
    a.lambdaMemoryGb *
    (reads * readSec + (bookings + contracts * 2) * writeSec + deliveries * fanSecPerDelivered);
  const sqsMessages =
    s.fanout?.sqsMessages && s.fanout?.delivered
      ? (deliveries * s.fanout.sqsMessages) / s.fanout.delivered
      : deliveries / 100;
  // Send (batched ≤10), receive and delete per message, rounded up as 3 requests each.
  const sqsRequests = sqsMessages * 3;
  const lambdaInvocations = apiRequests + sqsMessages / 10;
  const storageGb = (a.residents * a.storageKbPerResident) / 1024 / 1024;
  const rows = [
    {
      item: "DynamoDB writes (on-demand WRU)",
      quantity: Math.round(wru),
      usd: (wru / 1e6) * p.dynamoWriteRequestUnitPerMillion,
    },
    {
      item: "DynamoDB reads (on-demand RRU)",
      quantity: Math.round(rru),
      usd: (rru / 1e6) * p.dynamoReadRequestUnitPerMillion,
    },
    {
      item: "DynamoDB storage + PITR (GB-month)",
      quantity: round(storageGb, 2),
      usd: storageGb * (p.dynamoStorageGbMonth + p.dynamoPitrGbMonth),
    },
    {
      item: "Lambda arm64 compute (GB-s)",
      quantity: Math.round(gbSeconds),
      usd: gbSeconds * p.lambdaArmGbSecond,
    },
    {
      item: "Lambda requests",
      quantity: Math.round(lambdaInvocations),
      usd: (lambdaInvocations / 1e6) * p.lambdaRequestPerMillion,
    },
    {
      item: "API Gateway HTTP API requests",
      quantity: Math.round(apiRequests),
      usd: (apiRequests / 1e6) * p.httpApiPerMillion,
    },
    {
      item: "SQS requests (fan-out)",
      quantity: Math.round(sqsRequests),
      usd: (sqsRequests / 1e6) * p.sqsPerMillion,
    },
    {
      item: "CloudWatch Logs ingestion (GB)",
      quantity: round((lambdaInvocations * a.logBytesPerRequest) / 1e9, 2),
      usd: ((lambdaInvocations * a.logBytesPerRequest) / 1e9) * p.logsIngestPerGb,
    },
  ].map((r) => ({ ...r, usd: round(r.usd, 2) }));
  return {
    prices: PRICES,
    assumptions: ASSUMPTIONS,
    volumes: {
      apiRequests: Math.round(apiRequests),
      reads: Math.round(reads),
      bookings: Math.round(bookings),
      contracts: Math.round(contracts),
      deliveries: Math.round(deliveries),
      residentReadRru: round(residentRru, 2),
      staffReadRru: round(staffRru, 2),
    },
    rows,
    totalUsd: round(
      rows.reduce((x, r) => x + r.usd, 0),
      2,
    ),
    excluded:
      "free tiers, the fixed costs (KMS key, secret, alarms, log storage, backups: the next table), Secrets Manager and KMS API calls (cached per cold start), data transfer, WeChat fees, stream-projector writes (no stream consumer runs locally, so its units are not measured)",
  };
}

/**
 * Fixed monthly costs: what the stack costs before the first request, at any traffic. USD list
 * prices of us-east-1 from AWS's public pricing pages (not fetched by this run); CNY where the
 * China regions' own page was found (amazonaws.cn, read through a search on 2026-12-01), else
 * null: those prices could not be found here and must be read from amazonaws.cn before a budget.
 */
export const FIXED_PRICES = {
  asOf: "USD: aws.amazon.com/{kms,secrets-manager,cloudwatch,dynamodb,backup}/pricing, list prices as of 2025, not fetched; CNY: amazonaws.cn/cloudwatch/pricing (cn-north-1 and cn-northwest-1), read 2026-12-01",
  kmsKeyMonth: { usd: 1.0, cny: null },
  secretMonth: { usd: 0.4, cny: null },
  /** Per standard-resolution alarm metric; the first 10 are free (both partitions). */
  alarmMetricMonth: { usd: 0.1, cny: 0.622 },
  freeAlarms: 10,
  /** Per dashboard beyond the 3 free (both partitions); the CNY price was not on the page read. */
  dashboardMonth: { usd: 3.0, cny: null },
  freeDashboards: 3,
  logsStorageGbMonth: { usd: 0.03, cny: null },
  pitrGbMonth: { usd: 0.2, cny: null },
  /** AWS Backup warm storage for DynamoDB, per GB-month of each backup kept. */
  backupGbMonth: { usd: 0.1, cny: null },
} as const;

/** The stack's alarms (infra/constructs/monitoring.ts): 2 per function, one more per stream worker, 2 on the API, 2 per work queue, 1 per failure queue. */
export function alarmCount(fns: readonly { trigger: object }[], workQueues = 2): number {
  const stream = fns.filter((f) => "stream" in f.trigger).length;
  const scheduleDlq = fns.some((f) => "schedule" in f.trigger) ? 1 : 0;
  return fns.length * 2 + stream + 2 + workQueues * 2 + scheduleDlq + stream;
}

export function fixedMonthlyCost(input: {
  alarms: number;
  /** API functions pinged by the keep-warm rule, and how often (minutes). */
  keepWarm?: { functions: number; everyMinutes: number };
  /** The table's size (GB), for PITR and backups. */
  storageGb: number;
  /** Log ingestion per month (GB); kept six months in prod, so about six months of it is stored. */
  logsGbPerMonth: number;
  retentionMonths?: number;
}) {
  const p = FIXED_PRICES;
  // Backup plan: daily kept 35 days, monthly kept a year: about 35 + 12 full copies at steady state.
  const backupCopies = 35 + 12;
  const storedLogsGb = input.logsGbPerMonth * (input.retentionMonths ?? 6);
  const billedAlarms = Math.max(0, input.alarms - p.freeAlarms);
  const row = (item: string, quantity: number, price: { usd: number; cny: number | null }) => ({
    item,
    quantity: round(quantity, 2),
    usd: round(quantity * price.usd, 2),
    cny: price.cny === null ? null : round(quantity * price.cny, 2),
  });
  const rows = [
    row("KMS customer key (root secret)", 1, p.kmsKeyMonth),
    row("Secrets Manager secret (root secret)", 1, p.secretMonth),
    row(`CloudWatch alarms (${input.alarms}, ${p.freeAlarms} free)`, billedAlarms, p.alarmMetricMonth),
    row(`CloudWatch dashboard (1, ${p.freeDashboards} free)`, 0, p.dashboardMonth),
    row("CloudWatch Logs storage (GB, 6-month retention)", storedLogsGb, p.logsStorageGbMonth),
    row("DynamoDB PITR (GB-month)", input.storageGb, p.pitrGbMonth),
    row(
      `AWS Backup, prod (GB-month, ${backupCopies} copies)`,
      input.storageGb * backupCopies,
      p.backupGbMonth,
    ),
    ...(input.keepWarm
      ? [
          // Each ping: one request plus about 50 ms at 512 MB (it only initialises modules).
          row(
            `Keep-warm pings (${input.keepWarm.functions} functions every ${input.keepWarm.everyMinutes} min, millions of invocations)`,
            (input.keepWarm.functions * 30 * 24 * 60) / input.keepWarm.everyMinutes / 1e6,
            { usd: PRICES.lambdaRequestPerMillion + 1e6 * 0.05 * 0.5 * PRICES.lambdaArmGbSecond, cny: null },
          ),
        ]
      : []),
  ];
  return {
    prices: p,
    rows,
    totalUsd: round(
      rows.reduce((x, r) => x + r.usd, 0),
      2,
    ),
  };
}

export function renderFixedCost(fixed: ReturnType<typeof fixedMonthlyCost>, basis: string): string {
  const out = [
    "### Fixed monthly costs",
    "",
    `What the stack costs at any traffic (${basis}). Prices: ${fixed.prices.asOf}. China-region (CNY) prices were found only for CloudWatch alarms; the rest could not be found here (–), so the USD figures stand in until amazonaws.cn's pages are read. The 5xx-rate alarm is metric math over two metrics and may bill as two. SNS e-mail notifications and SSM standard parameters are free.`,
    "",
    "| item | quantity | USD / month | CNY / month |",
    "|---|--:|--:|--:|",
    ...fixed.rows.map(
      (r) =>
        `| ${r.item} | ${r.quantity} | ${r.usd.toFixed(2)} | ${r.cny === null ? "–" : r.cny.toFixed(2)} |`,
    ),
    `| **total** | | **${fixed.totalUsd.toFixed(2)}** | |`,
    "",
    "PITR is also inside section 6's storage row; it is listed here because it is paid whether or not anyone uses the service.",
  ];
  return out.join("\n");
}
