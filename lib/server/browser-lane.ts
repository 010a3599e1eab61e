// The browser lane on a thread of its own. Next.js (portal, admin console, management API)
// runs on a worker thread and listens on a private Unix socket; the main thread — the machine
// lane: gateway, token endpoints, in this process or its worker processes — relays browser-lane
// requests to it (browser-relay.ts). Why: Next.js installs
// AsyncLocalStorage, whose promise hooks then run for every promise of every request in its
// thread, and a page render holds its thread for tens of milliseconds. Apart, the gateway pays
// for neither (bench/RESULTS.md, "Gateway"); a page costs one more local hop.
// The socket lives in a fresh 0700 directory: the worker trusts the headers the main thread
// sets (client IP, client-certificate thumbprint), so nobody else may connect to it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { MetricObjectWithValues, MetricValue } from "prom-client";
import type { OktaSettings } from "../okta/settings.ts";
import { IpcPeer, threadEndpoint } from "../runtime/ipc-peer.ts";
import { startTsWorker } from "../runtime/ts-worker.ts";
import { serveStore, type Store } from "../store/index.ts";

/** Where Next.js will listen: a fresh 0700 directory (mkdtemp), known before Next starts so
 * the machine lane can relay to it while it does. */
export function browserSocket(): { socketPath: string; socketDir: string } {
  const socketDir = mkdtempSync(join(tmpdir(), "gatehouse-"));
  return { socketDir, socketPath: join(socketDir, "next.sock") };
}

export interface BrowserLaneOptions {
  socket: { socketPath: string; socketDir: string };
  /** The process's thread bus (lib/runtime/thread-bus.ts), which the worker joins. */
  threadBus: string;
  dev: boolean;
  projectDir: string;
  host: string;
  port: number;
  okta: OktaSettings;
  /** The worker's environment: the operator's (lib/config operatorEnvironment), so its
   * configuration is the main thread's; it prepares Next's variables itself. */
  env: Record<string, string | undefined>;
  log: Logger;
  /** Without Redis: the main thread's memory store, served to the worker (laneSharedStore). */
  store: Store | null;
}

export interface BrowserLane {
  /** Where Next.js listens: machine-lane worker processes relay to it (browser-relay.ts). */
  socketPath: string;
  /** The worker thread's metrics, for /metrics. */
  metrics(): Promise<MetricObjectWithValues<MetricValue<string>>[]>;
  close(): Promise<void>;
}

/** What the worker posts to the main thread. */
export type FromBrowserWorker =
  { type: "ready" } | { type: "failed"; message: string } | { type: "metrics"; id: number; metrics: MetricObjectWithValues<MetricValue<string>>[] } | { type: "closed" };
/** What the main thread posts to the worker. */
export type ToBrowserWorker = { type: "metrics"; id: number } | { type: "close" };

export interface BrowserWorkerData {
  threadBus: string;
  dev: boolean;
  projectDir: string;
  host: string;
  port: number;
  socketPath: string;
  okta: OktaSettings;
}

const RESTART_DELAY_MS = 1_000;

/** Starts Next.js on its worker thread and answers at once: the socket path is known before
 * Next.js listens on it (the machine lane starts serving meanwhile; pages get 503 until
 * `started`, which rejects when the first start fails). */
export function launchBrowserLane(options: BrowserLaneOptions): BrowserLane & { started: Promise<void> } {
  const { log } = options;
  const { socketPath, socketDir } = options.socket;
  const pendingMetrics = new Map<number, (metrics: MetricObjectWithValues<MetricValue<string>>[]) => void>();
  let nextMetricsId = 0;
  let worker: Worker;
  let ready = false;
  let closing = false;

  function spawn(): Promise<void> {
    const data: BrowserWorkerData = {
      threadBus: options.threadBus,
      dev: options.dev,
      projectDir: options.projectDir,
      host: options.host,
      port: options.port,
      socketPath,
      okta: options.okta,
    };
    worker = startTsWorker(new URL("./browser-lane-worker.ts", import.meta.url), data, { env: options.env });
    const storePeer = options.store ? new IpcPeer(threadEndpoint(worker)) : null;
    const stopServingStore = storePeer ? serveStore(storePeer, options.store!) : () => {};
    return new Promise((resolve, reject) => {
      worker.on("message", (message: FromBrowserWorker) => {
        if (message.type === "ready") {
          ready = true;
          resolve();
        } else if (message.type === "failed") reject(new Error(message.message));
        else if (message.type === "metrics") {
          pendingMetrics.get(message.id)?.(message.metrics);
          pendingMetrics.delete(message.id);
        }
      });
      worker.on("error", (error) => {
        log.error({ err: error }, "browser lane (Next.js worker) failed");
        reject(error);
      });
      worker.on("exit", (code) => {
        ready = false;
        stopServingStore();
        storePeer?.close();
        for (const resolveMetrics of pendingMetrics.values()) resolveMetrics([]);
        pendingMetrics.clear();
        if (closing) return;
        // The gateway and token endpoints keep serving; the portal comes back on a new worker.
        log.error({ code }, `browser lane stopped; restarting it in ${RESTART_DELAY_MS} ms`);
        setTimeout(() => void spawn().catch((error: Error) => log.error({ err: error }, "browser lane did not restart")), RESTART_DELAY_MS).unref();
        reject(new Error(`the browser lane exited with code ${code} during start-up`));
      });
    });
  }

  const started = spawn();

  return {
    started,
    socketPath,
    metrics() {
      if (!ready) return Promise.resolve([]);
      const id = nextMetricsId++;
      return new Promise((resolve) => {
        pendingMetrics.set(id, resolve);
        worker.postMessage({ type: "metrics", id } satisfies ToBrowserWorker);
      });
    },
    async close() {
      closing = true;
      if (ready) {
        const closed = new Promise<void>((resolve) => {
          worker.on("message", (message: FromBrowserWorker) => message.type === "closed" && resolve());
          worker.once("exit", () => resolve());
        });
        worker.postMessage({ type: "close" } satisfies ToBrowserWorker);
        await closed;
      }
      ready = false;
      await worker.terminate();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
