// Gatehouse's one entry point. A node:http server with two lanes:
//   machine lane — /gateway/**, /oauth/token|introspect|revoke, /.well-known/…, /healthz,
//                  /readyz, /metrics: plain Node, no framework (the hot paths; see README
//                  "Architecture"), on this thread (GATEWAY_WORKERS=1) or on worker processes
//                  that share the port (lib/server/machine-workers.ts; this file is their entry
//                  point too)
//   browser lane — everything else: Next.js (portal, admin console, management API) on a
//                  worker thread of its own, relayed to over a private socket
//                  (lib/server/browser-lane.ts)
// Usage: `npm start` runs this file compiled (`npm run build` → dist/server.js, Next's production
// build in .next); `npm run dev` runs it from source through tsx with `--dev`.
import cluster from "node:cluster";
import { ConfigError, getConfig, type Config } from "./lib/config/index.ts";
import { getLogger } from "./lib/log/index.ts";
import { projectDirOf } from "./lib/server/project-dir.ts";

const dev = process.argv.includes("--dev");
const projectDir = projectDirOf(import.meta.url);

let config: Config;
try {
  config = getConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const log = getLogger();
process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled promise rejection"));

// A machine-lane worker loads only its lane; the primary everything else (loaded on demand:
// a worker process never holds the portal's modules).
const start = cluster.isWorker
  ? import("./lib/server/machine-worker.ts").then(({ runMachineWorker }) => runMachineWorker(config, log, dev))
  : import("./lib/server/primary.ts").then(({ runPrimary }) => runPrimary(config, log, dev, projectDir));
start.catch((error: Error) => {
  log.fatal({ err: error }, "start-up failed");
  process.stderr.write(`Gatehouse could not start: ${error.message}\n`);
  process.exit(1);
});
