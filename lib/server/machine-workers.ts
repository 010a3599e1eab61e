// The machine lane on several processes (GATEWAY_WORKERS > 1): node:cluster forks this same
// entry point N times; each worker runs the whole machine lane (machine-worker.ts) and they all
// accept on the one port (the primary hands out connections round-robin). The primary keeps
// what must exist once: Next.js and okta-dev on their threads, the analytics sink, retention,
// the access-log sinks (one writer of the file), and — without Redis — the store every worker counts and publishes in (primary-store.ts), so
// quota, spike arrest, bot windows and cache invalidation are exact across workers. /metrics,
// asked of any worker, is the sum of every process. A worker that dies is replaced; requests
// in flight on the others never notice.
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { Store } from "../store/index.ts";
import { serveStore } from "../store/primary-store.ts";
import type { BatchSink } from "../analytics/sink.ts";
import { receiveAnalytics } from "../analytics/forwarding-sink.ts";
import { addMetricsSource, renderMetrics } from "../metrics/index.ts";
import { IpcPeer } from "../runtime/ipc-peer.ts";
import { receiveAccessLogs, type AccessLogSinks } from "../log/access-log-shipper.ts";
import { METRICS_JSON, METRICS_RENDER, WORKER_INIT, WORKER_SERVING, WORKER_START, type MachineWorkerInit, type MachineWorkerStart } from "./machine-worker-protocol.ts";

export type { MachineWorkerInit } from "./machine-worker-protocol.ts";

/** How the machine lane is run for GATEWAY_WORKERS. */
export function machineWorkerCount(setting: number | "auto", dev: boolean, availableParallelism: number): number {
  if (setting !== "auto") return setting;
  return dev ? 1 : Math.max(1, availableParallelism);
}

export interface MachineWorkers {
  /** Worker processes running now. */
  running(): number;
  /** Lets every worker drain and exit (graceful shutdown), then forgets them. */
  stop(timeoutMs: number): Promise<void>;
}

const RESTART_DELAY_MS = 200;
/** A worker that dies this soon after starting is crash-looping: wait longer before the next. */
const CRASH_LOOP_MS = 5_000;
const MAX_RESTART_DELAY_MS = 10_000;

export interface MachineWorkersOptions {
  count: number;
  /** What each worker asks for first: they wait for it (the primary forks them before it knows). */
  init: Promise<MachineWorkerInit>;
  /** The workers' environment: the operator's (lib/config operatorEnvironment), so their
   * configuration is the primary's. */
  env: Record<string, string | undefined>;
  /** The store the workers share, or null when they use Redis themselves. */
  store: Store | null;
  /** The one analytics sink, once the database is migrated (batches wait for it). */
  sink: Promise<BatchSink>;
  /** The access-log sinks every worker's lines go to; null when access logs are not shipped. */
  accessLog: AccessLogSinks | null;
  log: Logger;
}

export async function startMachineWorkers(options: MachineWorkersOptions): Promise<MachineWorkers> {
  const { log } = options;
  const workers = new Set<Worker>();
  let stopping = false;
  let restartDelay = RESTART_DELAY_MS;

  function fork(replacing: boolean): Promise<Worker> {
    // a replacement joins the others only once it can serve; the first workers (or one replacing
    // the last) listen at once so /healthz answers during start-up
    const start: MachineWorkerStart = { listenAtOnce: !replacing || workers.size === 0 };
    const worker = cluster.fork(options.env);
    const startedAt = Date.now();
    workers.add(worker);
    const peer = new IpcPeer(worker);
    peer.handle(WORKER_START, () => start);
    peer.handle(WORKER_INIT, () => options.init);
    const stopServing = options.store ? serveStore(peer, options.store) : () => {};
    receiveAnalytics(peer, options.sink);
    if (options.accessLog) receiveAccessLogs(peer, options.accessLog);
    peer.handle(METRICS_RENDER, () => renderMetrics());
    const removeMetrics = addMetricsSource(() => peer.request(METRICS_JSON, null));
    worker.once("exit", (code, signal) => {
      workers.delete(worker);
      removeMetrics();
      stopServing();
      peer.close();
      if (stopping) return;
      restartDelay = Date.now() - startedAt < CRASH_LOOP_MS ? Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS) : RESTART_DELAY_MS;
      log.error({ pid: worker.process.pid, exitCode: code, signal, restartInMs: restartDelay }, "machine-lane worker exited; starting another");
      setTimeout(() => {
        if (!stopping) fork(true).catch((error: Error) => log.error({ err: error }, "machine-lane worker did not start"));
      }, restartDelay).unref();
    });
    return new Promise((resolve, reject) => {
      const failed = (code: number | null) => reject(new Error(`a machine-lane worker exited with code ${code} during start-up`));
      worker.once("exit", failed);
      // serving, not just listening: a worker listens at once and answers 503 while it builds the lane
      peer.handle(WORKER_SERVING, () => {
        worker.off("exit", failed);
        resolve(worker);
      });
    });
  }

  // structured clone, not JSON: analytics batches hold typed arrays (event-batch.ts)
  cluster.setupPrimary({ serialization: "advanced" });
  await Promise.all(Array.from({ length: options.count }, () => fork(false)));
  log.info({ workers: options.count, store: options.store ? "primary memory" : "redis" }, "machine lane running on worker processes");

  return {
    running: () => workers.size,
    async stop(timeoutMs) {
      stopping = true;
      await Promise.all(
        [...workers].map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const killer = setTimeout(() => worker.process.kill("SIGKILL"), timeoutMs);
              worker.once("exit", () => {
                clearTimeout(killer);
                resolve();
              });
              worker.process.kill("SIGTERM"); // the worker drains its connections (lib/http/shutdown.ts)
            }),
        ),
      );
    },
  };
}
