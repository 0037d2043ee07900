/**
 * Runs after the test suite (part of `npm test`): scans every log line and response body the suite
 * produced for raw personal identifiers or WeChat secrets, then prints the closing tally.
 * (A vitest globalSetup teardown cannot fail the run, so this is a step of its own.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findLeaks } from "./leaks.js";

const OUTPUT_DIR = ".test-output";
const files = existsSync(OUTPUT_DIR) ? readdirSync(OUTPUT_DIR).filter((f) => /\.(log|jsonl)$/.test(f)) : [];
const leaks = files.flatMap((file) =>
  findLeaks(readFileSync(join(OUTPUT_DIR, file), "utf8")).map((l) => `${file}: ${l}`),
);
const scanned = files.reduce((n, f) => n + readFileSync(join(OUTPUT_DIR, f)).length, 0);

const report = join(OUTPUT_DIR, "vitest.json");
const results = existsSync(report)
  ? (JSON.parse(readFileSync(report, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
    })
  : undefined;

if (!files.some((f) => f === "api.log")) {
  console.error("leak scan: no API log was captured; the suite did not run through the local stack");
  process.exit(1);
}
if (leaks.length) {
  console.error(`leak scan: personal identifiers or secrets found:\n${leaks.join("\n")}`);
  process.exit(1);
}
console.log(
  `leak scan: ${files.length} files, ${(scanned / 1024).toFixed(0)} KB of logs and responses, no raw ID number, mobile number or session_key`,
);
if (results) {
  console.log(
    `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`,
  );
}
