/**
 * `npx tsx bench/cost-fixed.ts`: the fixed monthly costs alone (fast, no stack), written to their
 * marked section of bench/REPORT.md. Log volume: the last full run's (bench/results.json), else
 * the figure in the report's section 6.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { functionContracts, KEEP_WARM_MINUTES } from "../functions/deployment.js";
import { ASSUMPTIONS, alarmCount, fixedMonthlyCost, renderFixedCost } from "./cost.js";
import { writeReportSection } from "./report-section.js";
import { ROOT } from "./util.js";

export function fixedCostSection(logsGbPerMonth: number | undefined): string {
  const storageGb = (ASSUMPTIONS.residents * ASSUMPTIONS.storageKbPerResident) / 1024 / 1024;
  const logs = logsGbPerMonth ?? 0;
  const fns = functionContracts();
  const fixed = fixedMonthlyCost({
    alarms: alarmCount(fns),
    keepWarm: { functions: fns.filter((f) => "api" in f.trigger).length, everyMinutes: KEEP_WARM_MINUTES },
    storageGb,
    logsGbPerMonth: logs,
  });
  return renderFixedCost(
    fixed,
    `the district of section 6: ${ASSUMPTIONS.residents.toLocaleString("en")} residents, ${storageGb.toFixed(2)} GB stored, ${logs} GB of logs a month`,
  );
}

/** The month's log ingestion of a full run's cost section (bench/results.json), if it has one. */
// biome-ignore lint/suspicious/noExplicitAny: reads the loose results document
export function logsGbOf(results: Record<string, any>): number | undefined {
  const rows = (results.sections?.cost?.rows ?? []) as { item: string; quantity: number }[];
  return rows.find((r) => r.item.startsWith("CloudWatch Logs ingestion"))?.quantity;
}

function lastLogsGb(): number | undefined {
  const results = join(ROOT, "bench", "results.json");
  const fromRun = existsSync(results) ? logsGbOf(JSON.parse(readFileSync(results, "utf8"))) : undefined;
  if (fromRun !== undefined) return fromRun;
  const match = /\| CloudWatch Logs ingestion \(GB\) \| ([\d.]+) \|/.exec(
    readFileSync(join(ROOT, "bench", "REPORT.md"), "utf8"),
  );
  return match?.[1] ? Number(match[1]) : undefined;
}

if (process.argv[1]?.endsWith("cost-fixed.ts"))
  writeReportSection("cost-fixed", fixedCostSection(lastLogsGb()));
