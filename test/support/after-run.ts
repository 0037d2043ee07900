/**
 * Runs after the test suite (part of `npm test`): scans every log line and response body the suite
 * produced for raw personal identifiers or WeChat secrets, checks every recorded API response
 * against the OpenAPI document, then prints the closing tally.
 * (A vitest globalSetup teardown cannot fail the run, so this is a step of its own.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildOpenApi } from "../../functions/lib/openapi.js";
import { capabilities } from "../../functions/routes.js";
import { type StackSummary, stackSummaryLine } from "./invariants.js";
import { findLeaks } from "./leaks.js";
import { createResponseChecker, formatSummary, readExchanges } from "./openapi-check.js";

const OUTPUT_DIR = ".test-output";
const files = existsSync(OUTPUT_DIR) ? readdirSync(OUTPUT_DIR).filter((f) => /\.(log|jsonl)$/.test(f)) : [];
const leaks = files.flatMap((file) =>
  findLeaks(readFileSync(join(OUTPUT_DIR, file), "utf8")).map((l) => `${file}: ${l}`),
);
const scanned = files.reduce((n, f) => n + readFileSync(join(OUTPUT_DIR, f)).length, 0);

// The suite runs in two vitest runs (the fault project after the others, so the two stacks do not
// share the two cores): their tallies add up.
type Tally = { numPassedTests: number; numFailedTests: number; numPendingTests: number };
const tallies = ["vitest.json", "vitest-faults.json"]
  .map((f) => join(OUTPUT_DIR, f))
  .filter((f) => existsSync(f))
  .map((f) => JSON.parse(readFileSync(f, "utf8")) as Tally);
const results = tallies.length
  ? tallies.reduce((a, b) => ({
      numPassedTests: a.numPassedTests + b.numPassedTests,
      numFailedTests: a.numFailedTests + b.numFailedTests,
      numPendingTests: a.numPendingTests + b.numPendingTests,
    }))
  : undefined;

let failed = false;
if (!files.some((f) => f === "api.log")) {
  console.error("leak scan: no API log was captured; the suite did not run through the local stack");
  process.exit(1);
}
if (leaks.length) {
  console.error(`leak scan: personal identifiers or secrets found:\n${leaks.join("\n")}`);
  failed = true;
} else {
  console.log(
    `leak scan: ${files.length} files, ${(scanned / 1024).toFixed(0)} KB of logs and responses, no raw ID number, mobile number or session_key`,
  );
}

// A stream record the projector cannot process blocks its shard and is finally skipped (counters,
// invitations and the work-list then miss it). Without injected faults that is always a bug.
const streamFailures = readFileSync(join(OUTPUT_DIR, "api.log"), "utf8")
  .split("\n")
  .filter((l) => l.includes('"message":"stream record failed"') || l.includes("[streams] giving up"));
if (streamFailures.length) {
  console.error(
    `stream check: ${streamFailures.length} failed or skipped stream records in api.log; the first:\n${streamFailures[0]?.slice(0, 2000)}`,
  );
  failed = true;
} else console.log("stream check: every stream record of the run without faults was processed");

// Every response the suite recorded (test/support/api.ts recordExchange) against the document the
// local stage serves: an undeclared status, media type, header or shape fails the run.
const exchanges = readExchanges(process.env.JIAYI_EXCHANGES_DIR ?? join(OUTPUT_DIR, "exchanges"));
const checker = createResponseChecker(buildOpenApi(capabilities, { includeLocalOnly: true }));
const summary = checker.checkAll(exchanges);
const lines = formatSummary(summary, checker.operationIds);
if (summary.checked === 0) {
  console.error("response check: no API responses were recorded (test/support/api.ts recordExchange)");
  failed = true;
} else if (summary.failures.length) {
  console.error(lines.join("\n"));
  failed = true;
} else {
  console.log(lines.join("\n"));
}

// Each stack's invariants (counters = the facts behind them) and, with faults on, what was injected.
const summaries = existsSync(OUTPUT_DIR)
  ? readdirSync(OUTPUT_DIR).filter((f) => f.endsWith("-summary.json"))
  : [];
for (const file of summaries) {
  const line = stackSummaryLine(JSON.parse(readFileSync(join(OUTPUT_DIR, file), "utf8")) as StackSummary);
  if (line.ok) console.log(line.text);
  else {
    console.error(line.text);
    failed = true;
  }
}
if (!summaries.some((f) => f === "faults-summary.json") && process.env.CI) {
  console.error("fault run: no summary; the fault-injection project did not run");
  failed = true;
}

if (results) {
  console.log(
    `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`,
  );
}
if (failed) process.exit(1);
