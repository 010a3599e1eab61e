// The browser lane on a thread of its own. Next.js (portal, admin console, management API)
// runs on a worker thread and listens on a private Unix socket; the main thread — the machine
// lane: gateway, token endpoints — relays browser-lane requests to it. Why: Next.js installs
// AsyncLocalStorage, whose promise hooks then run for every promise of every request in its
// thread, and a page render holds its thread for tens of milliseconds. Apart, the gateway pays
// for neither (bench/RESULTS.md, "Gateway"); a page costs one more local hop.
// The socket lives in a fresh 0700 directory: the worker trusts the headers the main thread
// sets (client IP, client-certificate thumbprint), so nobody else may connect to it.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import type { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { MetricObjectWithValues, MetricValue } from "prom-client";
import type { OktaSettings } from "../okta/settings.ts";
import { hopByHopFree } from "../http/hop-by-hop.ts";
import { startTsWorker } from "../runtime/ts-worker.ts";

export interface BrowserLaneOptions {
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
}

export interface BrowserLane {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** WebSocket upgrades (Next's hot reload in development). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
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

export async function startBrowserLane(options: BrowserLaneOptions): Promise<BrowserLane> {
  const { log } = options;
  const socketDir = mkdtempSync(join(tmpdir(), "gatehouse-"));
  const socketPath = join(socketDir, "next.sock");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
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

  await spawn();

  return {
    handle(req, res) {
      if (!ready) return unavailable(res);
      const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers: hopByHopFree(req.headers) });
      upstream.on("response", (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, hopByHopFree(answer.headers));
        answer.pipe(res);
        answer.once("error", () => res.destroy());
      });
      upstream.once("error", (error) => {
        if (res.headersSent) return void res.destroy();
        log.warn({ err: error }, "browser lane did not answer");
        unavailable(res);
      });
      res.once("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    },
    upgrade(req, socket, head) {
      const inner = net.connect(socketPath, () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
        inner.write(lines.join("\r\n") + "\r\n\r\n");
        if (head.length) inner.write(head);
        socket.pipe(inner).pipe(socket);
      });
      inner.once("error", () => socket.destroy());
      socket.once("error", () => inner.destroy());
    },
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
      agent.destroy();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

function unavailable(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  const body = "The portal is restarting. Try again in a moment.\n";
  res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "2", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
