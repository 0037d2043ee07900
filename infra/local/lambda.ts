import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { InvocationResult } from "./lambda-container.js";

/**
 * A deployed function, run locally as Lambda runs it: execution environments (worker threads) with
 * only the function's own environment, each serving one invocation at a time, created on demand up
 * to a concurrency limit and reclaimed when idle. An invocation that passes the timeout is cut off:
 * its environment is destroyed (module state and all), the caller gets Lambda's `Sandbox.Timedout`
 * error, and the next invocation starts cold — so the queue, stream or async retry that follows is
 * the one AWS would apply.
 */
export class LambdaError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

export interface LocalFunctionOptions {
  name: string;
  entryPath: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** Environments at once; past it, invocations wait (Lambda would scale further or throttle). */
  maxConcurrency?: number;
  /** An idle environment is reclaimed after this long, as Lambda does after minutes of no traffic. */
  idleReclaimMs?: number;
}

interface Container {
  worker: Worker;
  ready: Promise<void>;
  idleTimer?: NodeJS.Timeout;
  pending?: { requestId: string; settle: (result: InvocationResult) => void };
}

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  timeouts: number;
  errors: number;
}

export class LocalFunction {
  private readonly idle: Container[] = [];
  private readonly all = new Set<Container>();
  private readonly waiting: ((container: Container) => void)[] = [];
  private stopped = false;
  readonly stats: FunctionStats = { invocations: 0, coldStarts: 0, timeouts: 0, errors: 0 };

  constructor(private readonly options: LocalFunctionOptions) {}

  get name() {
    return this.options.name;
  }

  /** Runs one invocation; rejects with a LambdaError when the function throws or times out. */
  async invoke(event: unknown): Promise<unknown> {
    if (this.stopped) throw new LambdaError("ResourceNotFoundException", `${this.name} is stopped`);
    this.stats.invocations++;
    const container = await this.acquire();
    const requestId = randomUUID();
    try {
      // Init has its own limit, as on Lambda. Locally it is slower (TypeScript compiled in every
      // environment instead of one esbuild bundle), so the limit is generous rather than Lambda's 10 s.
      await Promise.race([container.ready, timer(Date.now() + INIT_LIMIT_MS)]);
    } catch (error) {
      // Init failed or never finished: Lambda reports the environment as failed.
      this.destroy(container);
      this.stats.errors++;
      throw new LambdaError(
        "Runtime.InitError",
        `${this.name} could not start its environment: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const deadline = Date.now() + this.options.timeoutSeconds * 1000;
    const result = await new Promise<InvocationResult | "timeout">((resolve) => {
      const cutOff = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
      container.pending = {
        requestId,
        settle: (r) => {
          clearTimeout(cutOff);
          resolve(r);
        },
      };
      container.worker.postMessage({ requestId, event, deadline });
    });
    if (result === "timeout") {
      this.stats.timeouts++;
      this.destroy(container);
      throw new LambdaError(
        "Sandbox.Timedout",
        `Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`,
      );
    }
    container.pending = undefined;
    this.release(container);
    if (!result.ok) {
      this.stats.errors++;
      throw new LambdaError(result.errorType, result.errorMessage);
    }
    return result.result;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.all].map((c) => c.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private async acquire(): Promise<Container> {
    const reused = this.idle.pop();
    if (reused) {
      clearTimeout(reused.idleTimer);
      return reused;
    }
    if (this.all.size < (this.options.maxConcurrency ?? 10)) return this.spawn();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(container: Container) {
    const next = this.waiting.shift();
    if (next) return next(container);
    container.idleTimer = setTimeout(
      () => {
        const i = this.idle.indexOf(container);
        if (i >= 0) this.idle.splice(i, 1);
        this.destroy(container);
      },
      this.options.idleReclaimMs ?? 5 * 60_000,
    );
    container.idleTimer.unref();
    this.idle.push(container);
  }

  private destroy(container: Container) {
    this.all.delete(container);
    void container.worker.terminate();
    // Someone waiting for an environment gets a fresh one in its place.
    const next = this.waiting.shift();
    if (next && !this.stopped) next(this.spawn());
  }

  private spawn(): Container {
    this.stats.coldStarts++;
    const worker = new Worker(new URL("./lambda-container.ts", import.meta.url), {
      env: this.options.environment,
      workerData: {
        entryPath: this.options.entryPath,
        functionName: this.options.name,
        memoryMb: this.options.memoryMb,
      },
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
    });
    worker.unref();
    const container: Container = { worker, ready: Promise.resolve() };
    container.ready = new Promise<void>((resolve, reject) => {
      worker.once("message", (message: { ready: boolean; errorMessage?: string }) => {
        if (message.ready) resolve();
        else reject(new Error(message.errorMessage));
        worker.on("message", (result: InvocationResult) => {
          if (container.pending?.requestId === result.requestId) container.pending.settle(result);
        });
      });
    });
    // Unhandled rejections before the first await of a message keep the promise from crashing us.
    container.ready.catch(() => undefined);
    worker.on("error", (error) => {
      // A crash of the environment fails what it was running (Runtime.ExitError on Lambda).
      container.pending?.settle({
        requestId: container.pending.requestId,
        ok: false,
        errorType: "Runtime.ExitError",
        errorMessage: error.message,
      });
    });
    worker.once("exit", () => {
      this.all.delete(container);
      const i = this.idle.indexOf(container);
      if (i >= 0) this.idle.splice(i, 1);
    });
    this.all.add(container);
    return container;
  }
}

const INIT_LIMIT_MS = 60_000;

const timer = (deadline: number) =>
  new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error("timeout")), deadline - Date.now()).unref();
  });
