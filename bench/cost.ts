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
      "free tiers, Secrets Manager ($0.40/secret + API calls, cached per cold start), KMS key ($1/month), CloudWatch alarms/metrics, data transfer, WeChat fees, stream-projector writes (no stream consumer runs locally, so its units are not measured)",
  };
}
