import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { localClient } from "../../infra/local/dynamodb-local.js";
import { checkInvariants } from "./invariants.js";

/**
 * Starts a whole local stack for a test project (DynamoDB Local in memory, the fake WeChat and SQS,
 * the local runtime with the deployed bundles behind the gateway) as a child process whose log is
 * kept in .test-output/<name>.log, where test/support/after-run.ts proves no personal identifier
 * reached a log line or a response. At the end it checks the table's invariants (counters equal the
 * facts behind them) and, with faults on, what was injected: .test-output/<name>-summary.json.
 */
export const OUTPUT_DIR = ".test-output";

declare module "vitest" {
  export interface ProvidedContext {
    stack: {
      url: string;
      wechatUrl: string;
      sqsUrl: string;
      dynamoEndpoint: string;
      /** The local AWS endpoint (IAM checks, fault switch) the functions call. */
      edgeUrl: string;
      tableName: string;
      faults: boolean;
    };
  }
}

export function localStack(name: string, env: Record<string, string> = {}) {
  let child: ChildProcess | undefined;
  let stackInfo: { url: string; sqsUrl: string; dynamoEndpoint: string; tableName: string } | undefined;
  const logFile = join(OUTPUT_DIR, `${name}.log`);
  const log = (() => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    rmSync(logFile, { force: true });
    return createWriteStream(logFile);
  })();

  async function setup(project: TestProject) {
    child = spawn(join("node_modules", ".bin", "tsx"), ["infra/local/start.ts", "--test"], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: "INFO", ...env },
    });
    const ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("local stack did not start within 90 s")), 90_000);
      let buffered = "";
      child?.stdout?.on("data", (chunk: Buffer) => {
        log.write(chunk);
        buffered += chunk.toString();
        const line = buffered.split("\n").find((l) => l.startsWith("JIAYI_READY "));
        if (line) {
          clearTimeout(timer);
          resolve(line.slice("JIAYI_READY ".length));
        }
      });
      child?.stderr?.on("data", (chunk: Buffer) => log.write(chunk));
      child?.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`local stack exited with ${code}; see ${logFile}`));
      });
    });
    stackInfo = JSON.parse(ready);
    project.provide("stack", JSON.parse(ready));
  }

  async function teardown() {
    if (stackInfo) {
      const info = stackInfo;
      const faults = (await (await fetch(`${info.url}/__local/faults`)).json()) as unknown;
      const invariants = await checkInvariants({
        client: localClient(info.dynamoEndpoint),
        tableName: info.tableName,
        sqsUrl: info.sqsUrl,
      });
      writeFileSync(
        join(OUTPUT_DIR, `${name}-summary.json`),
        JSON.stringify({ name, faults, invariants }, null, 2),
      );
    }
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.stdin?.end();
      child.kill("SIGTERM");
      await exited;
    }
    await new Promise((resolve) => log.end(resolve));
  }

  return { setup, teardown };
}
