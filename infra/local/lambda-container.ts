/**
 * One Lambda execution environment of the local runtime: a worker thread whose process.env is only
 * the function's own (infra/local/lambda.ts builds it from the deployment contract). It loads the
 * function's entry module once (the cold start) and then runs one invocation at a time, as Lambda
 * does; the parent terminates the thread when an invocation passes the function's timeout.
 */
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import type { Context } from "aws-lambda";

interface ContainerData {
  entryPath: string;
  functionName: string;
  memoryMb: number;
}

export interface Invocation {
  requestId: string;
  event: unknown;
  deadline: number;
}

export type InvocationResult =
  | { requestId: string; ok: true; result: unknown }
  | { requestId: string; ok: false; errorType: string; errorMessage: string };

const { entryPath, functionName, memoryMb } = workerData as ContainerData;
// NODE_OPTIONS=--enable-source-maps in the function's environment (a worker thread ignores it).
if (process.env.NODE_OPTIONS?.includes("--enable-source-maps")) process.setSourceMapsEnabled(true);
const port = parentPort;
if (!port) throw new Error("lambda-container runs only as a worker thread");

const context = (invocation: Invocation): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws-cn:lambda:cn-north-1:000000000000:function:${functionName}`,
  memoryLimitInMB: String(memoryMb),
  awsRequestId: invocation.requestId,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: "local",
  getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - Date.now()),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const failure = (requestId: string, error: unknown): InvocationResult => ({
  requestId,
  ok: false,
  errorType: error instanceof Error ? error.name : "Error",
  errorMessage: error instanceof Error ? error.message : String(error),
});

let handler: Handler;
try {
  ({ handler } = (await import(pathToFileURL(entryPath).href)) as { handler: Handler });
  port.postMessage({ ready: true });
} catch (error) {
  // As Lambda's Runtime.ImportModuleError: the environment never becomes ready.
  port.postMessage({ ready: false, ...failure("init", error) });
}

port.on("message", async (invocation: Invocation) => {
  try {
    const result = await handler(invocation.event, context(invocation));
    port.postMessage({ requestId: invocation.requestId, ok: true, result } satisfies InvocationResult);
  } catch (error) {
    port.postMessage(failure(invocation.requestId, error));
  }
});
