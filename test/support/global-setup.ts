import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Starts the whole local stack once for the run (DynamoDB Local in memory, fake WeChat, the
 * gateway with the real handler modules) as a child process whose log is kept in .test-output/,
 * where test/support/after-run.ts proves no personal identifier reached a log line or a response.
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

let child: ChildProcess | undefined;
let log: WriteStream | undefined;

export async function setup(project: TestProject) {
  rmSync(OUTPUT_DIR, { recursive: true, force: true });
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const stream = createWriteStream(join(OUTPUT_DIR, "api.log"));
  log = stream;
  child = spawn(join("node_modules", ".bin", "tsx"), ["infra/local/start.ts", "--test"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "INFO" },
  });
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("local stack did not start within 90 s")), 90_000);
    let buffered = "";
    child?.stdout?.on("data", (chunk: Buffer) => {
      stream.write(chunk);
      buffered += chunk.toString();
      const line = buffered.split("\n").find((l) => l.startsWith("JIAYI_READY "));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice("JIAYI_READY ".length));
      }
    });
    child?.stderr?.on("data", (chunk: Buffer) => stream.write(chunk));
    child?.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code}; see ${OUTPUT_DIR}/api.log`));
    });
  });
  project.provide("stack", JSON.parse(ready));
}

export async function teardown() {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.stdin?.end();
    child.kill("SIGTERM");
    await exited;
  }
  await new Promise((resolve) => (log ? log.end(resolve) : resolve(undefined)));
}
