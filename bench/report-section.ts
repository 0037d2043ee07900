import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./util.js";

/**
 * Replaces the section between `<!-- <name>:start -->` and `<!-- <name>:end -->` in bench/REPORT.md
 * (or appends it), leaving the rest of the report as it is: for parts that run on their own.
 */
/**
 * Writes the bench's own report, keeping the marked sections other runs wrote (the fault cases of
 * bench/faults-run.ts, the test suite's fault-run lines): those are not the bench's to drop.
 */
export function writeReportKeepingSections(report: string): void {
  const file = join(ROOT, "bench", "REPORT.md");
  const old = existsSync(file) ? readFileSync(file, "utf8") : "";
  writeFileSync(file, report);
  for (const [, name, body] of old.matchAll(/<!-- ([\w-]+):start -->\n([\s\S]*?)\n<!-- \1:end -->/g))
    if (name && body !== undefined) writeReportSection(name, body);
}

export function writeReportSection(name: string, section: string): void {
  const file = join(ROOT, "bench", "REPORT.md");
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const report = existsSync(file) ? readFileSync(file, "utf8") : "# Jiayi benchmark report\n";
  const block = `${start}\n${section.trimEnd()}\n${end}`;
  const from = report.indexOf(start);
  const to = report.indexOf(end);
  writeFileSync(
    file,
    from >= 0 && to > from
      ? `${report.slice(0, from)}${block}${report.slice(to + end.length)}`
      : `${report.trimEnd()}\n\n${block}\n`,
  );
}
