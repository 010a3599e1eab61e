// The browser lane's worker thread (see browser-lane.ts): Next.js behind a private Unix
// socket, with this thread's own database client, store connection and token/client caches
// (kept fresh by the same revocation messages as the main thread's). Without Redis, records both
// lanes read (pushed authorization requests) live in the main thread's memory, asked over this
// thread's port (laneSharedStore).
import http from "node:http";
import { unlinkSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import { getConfig, prepareNextEnvironment } from "../config/index.ts";
import { closeDb } from "../db/index.ts";
import { getLogger } from "../log/index.ts";
import { metricsJson } from "../metrics/index.ts";
import { accessTokenValidator, clientCache } from "../oauth/runtime.ts";
import { setOktaSettings } from "../okta/settings.ts";
import { IpcPeer, threadEndpoint } from "../runtime/ipc-peer.ts";
import { enableThreadBus } from "../runtime/thread-bus.ts";
import { workerInput } from "../runtime/ts-worker.ts";
import { closeStore, PrimaryStore, shareMainThreadStore } from "../store/index.ts";
import type { BrowserWorkerData, FromBrowserWorker, ToBrowserWorker } from "./browser-lane.ts";

const data = workerInput<BrowserWorkerData>();
enableThreadBus(data.threadBus); // before the store and the caches exist
const port = parentPort!;
const post = (message: FromBrowserWorker) => port.postMessage(message);
const log = getLogger();
process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled promise rejection (browser lane)"));

try {
  if (!getConfig().redis) shareMainThreadStore(new PrimaryStore(new IpcPeer(threadEndpoint(port))));
  setOktaSettings(data.okta);
  prepareNextEnvironment(data.dev, getConfig().publicUrl); // after getConfig read the operator's NODE_ENV
  const { default: next } = await import("next");
  const nextApp = next({ dev: data.dev, dir: data.projectDir, hostname: data.host, port: data.port });
  await nextApp.prepare();
  const validator = accessTokenValidator(); // the management API accepts gatehouse:admin tokens
  const clients = clientCache();
  await Promise.all([validator.start(), clients.start()]);

  const handle = nextApp.getRequestHandler();
  // Limits and timeouts are the public server's (main thread); this hop is local.
  const server = http.createServer({ keepAliveTimeout: 0, requestTimeout: 0, maxHeaderSize: 32 * 1024 }, (req, res) => {
    Promise.resolve(handle(req, res)).catch((error: unknown) => {
      log.error({ err: error, reqId: req.headers["x-request-id"] }, "unhandled error (browser lane)");
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("Something went wrong on our side.\n");
    });
  });
  if (data.dev) server.on("upgrade", nextApp.getUpgradeHandler());
  try {
    unlinkSync(data.socketPath); // left by a worker that crashed
  } catch {
    // none
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(data.socketPath, resolve);
  });

  port.on("message", async (message: ToBrowserWorker) => {
    if (message.type === "metrics") {
      post({ type: "metrics", id: message.id, metrics: await metricsJson() });
      return;
    }
    if (message.type !== "close") return; // the store's frames (IpcPeer) come this way too
    server.close();
    server.closeAllConnections(); // the main thread drained its callers already
    for (const [name, step] of [
      ["next", () => nextApp.close()],
      ["token cache", () => validator.stop()],
      ["client cache", () => clients.stop()],
      ["store", closeStore],
      ["database", closeDb],
    ] as const) {
      await Promise.resolve(step()).catch((error: unknown) => log.warn({ err: error, step: name }, "browser lane shutdown step failed"));
    }
    post({ type: "closed" });
  });
  post({ type: "ready" });
} catch (error) {
  post({ type: "failed", message: (error as Error).message });
}
