import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * One run for everything: the backend project (unit tests next to code, API flows through the
 * local gateway against DynamoDB Local, CDK assertions) and the mini-program's component tests.
 */
/** The suites that also run under injected faults: the capabilities' API flows and their workers. */
const FAULT_SUITES = ["test/appointments.test.ts", "test/contracts.test.ts", "test/notices.test.ts"];

export default defineConfig({
  test: {
    // npm test runs vitest twice (the fault project last); each run keeps its own tally.
    reporters: ["default", ["json", { outputFile: process.env.VITEST_JSON ?? ".test-output/vitest.json" }]],
    projects: [
      {
        test: {
          name: "backend",
          environment: "node",
          include: [
            "shared/**/*.test.ts",
            "functions/**/*.test.ts",
            "infra/**/*.test.ts",
            "test/**/*.test.ts",
            "bench/**/*.test.ts",
          ],
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The API and worker suites again, against a stack that injects AWS's failures
        // (test/support/global-setup-faults.ts): invariants and counters must stay exact.
        test: {
          name: "faults",
          environment: "node",
          include: FAULT_SUITES,
          globalSetup: ["test/support/global-setup-faults.ts"],
          // One file at a time: on two cores, the 5,000-recipient fan-out and the booking races run
          // side by side only pushed single requests past their functions' 10 s timeout (a 500),
          // while the run took as long as one file after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(existsSync("miniprogram/vitest.config.ts") ? ["miniprogram/vitest.config.ts"] : []),
    ],
  },
});
