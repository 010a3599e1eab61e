// Graceful shutdown: stop accepting connections, let in-flight requests finish (up to a
// deadline, then cut the rest), then run the closing steps in order (flush buffers, close
// the database and the store). Each step's failure is logged and the next still runs.
import type { Server } from "node:http";
import type { Logger } from "pino";

export interface ShutdownStep {
  name: string;
  run: () => Promise<void> | void;
}

export interface GracefulShutdown {
  isShuttingDown(): boolean;
  /** Resolves when everything is closed; calling it again returns the same promise. */
  shutdown(reason: string): Promise<void>;
}

export function createGracefulShutdown(server: Server, options: { timeoutMs: number; drainDelayMs?: number; log: Logger; steps: ShutdownStep[] }): GracefulShutdown {
  let done: Promise<void> | null = null;

  async function drain(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Keep-alive connections go idle after their response (which carried Connection: close).
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
    });
    const outcome = await Promise.race([closed, deadline]);
    clearInterval(idleSweep);
    clearTimeout(timer);
    if (outcome === "timeout") {
      options.log.warn({ timeoutMs: options.timeoutMs }, "shutdown: requests still running at the deadline; closing their connections");
      server.closeAllConnections();
      await closed;
    }
  }

  return {
    isShuttingDown: () => done !== null,
    shutdown(reason) {
      done ??= (async () => {
        if (options.drainDelayMs) {
          // still serving, but not ready and closing every connection after its answer
          options.log.info({ reason, drainDelayMs: options.drainDelayMs }, "shutdown: draining before the listener closes");
          await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
        }
        options.log.info({ reason }, "shutdown: no longer accepting connections");
        await drain();
        for (const step of options.steps) {
          try {
            await step.run();
          } catch (error) {
            options.log.error({ err: error, step: step.name }, "shutdown step failed");
          }
        }
        options.log.info("shutdown complete");
      })();
      return done;
    },
  };
}
