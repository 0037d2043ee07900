import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * One run for everything: the backend project (unit tests next to code, API flows through the
 * local gateway against DynamoDB Local, CDK assertions) and the mini-program's component tests.
 */
export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".test-output/vitest.json" }]],
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
          ],
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      ...(existsSync("miniprogram/vitest.config.ts") ? ["miniprogram/vitest.config.ts"] : []),
    ],
  },
});
