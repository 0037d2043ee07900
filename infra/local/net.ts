import { createServer } from "node:net";

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Retries `probe` every 100 ms until it resolves or the time runs out (bounded, never endless). */
export async function waitFor(probe: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      if (error instanceof Error && error.message.startsWith("DynamoDB Local exited")) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`Timed out after ${timeoutMs} ms: ${String(lastError)}`);
}
