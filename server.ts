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
import { randomUUID } from "node:crypto";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { ConfigError, describeDatabase, getConfig, operatorEnvironment, prepareNextEnvironment, type Config } from "./lib/config/index.ts";
import { getLogger } from "./lib/log/index.ts";
import { migrateDatabase } from "./lib/db/migrations/index.ts";
import { closeDb, getDb } from "./lib/db/index.ts";
import { closeStore, getStore } from "./lib/store/index.ts";
import type { ShutdownStep } from "./lib/http/shutdown.ts";
import { ECHO_BASE_PATH } from "./lib/echo/routes.ts";
import { portalContext } from "./lib/portal/runtime.ts";
import { seedDemoData } from "./lib/portal/demo-seed.ts";
import { ensureManagementProduct } from "./lib/portal/management-product.ts";
import { ensureProductionBuild } from "./lib/server/production-build.ts";
import { launchBrowserLane } from "./lib/server/browser-lane.ts";
import { startMachineLane } from "./lib/server/machine-lane.ts";
import { machineWorkerCount, startMachineWorkers } from "./lib/server/machine-workers.ts";
import { runMachineWorker } from "./lib/server/machine-worker.ts";
import { projectDirOf } from "./lib/server/project-dir.ts";
import { enableThreadBus } from "./lib/runtime/thread-bus.ts";
import { addMetricsSource } from "./lib/metrics/index.ts";
import { workerSink } from "./lib/analytics/sink.ts";
import { startAnalyticsRetention } from "./lib/analytics/retention.ts";
import { oktaSettingsFromConfig, setOktaSettings } from "./lib/okta/settings.ts";

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

async function main(): Promise<void> {
  prepareNextEnvironment(dev, config.publicUrl);
  if (config.migrateOnStart) {
    const applied = await migrateDatabase(config.database);
    log.info({ database: describeDatabase(config.database), applied }, "database migrated");
  }
  if (!dev) await ensureProductionBuild(projectDir, log);
  // the machine lane's thread and the browser lane's talk over one bus (lib/runtime/thread-bus.ts)
  const threadBus = randomUUID();
  enableThreadBus(threadBus);

  // Okta: the configured org, or okta-dev in this process (first run, tests, CI).
  // (loaded on demand: oidc-provider has no business in a process that uses a real org)
  const embeddedOkta = config.okta.mode === "embedded" ? await (await import("./lib/okta/embedded.ts")).startEmbeddedOkta(config, log) : null;
  const oktaSettings = embeddedOkta?.settings ?? oktaSettingsFromConfig(config)!;
  setOktaSettings(oktaSettings);

  const db = getDb();
  const store = getStore();
  if (config.devDefaults) {
    const seeded = await seedDemoData(portalContext(), {
      echoTargetUrl: `${config.tls ? "https" : "http"}://127.0.0.1:${config.port}${ECHO_BASE_PATH}`,
      okta: embeddedOkta?.okta.seed ?? null,
      dataDir: config.dataDir,
    });
    if (seeded)
      log.info({ demoApp: seeded.demoApp ? { clientId: seeded.demoApp.clientId, file: "demo-app.json" } : null }, "demo data seeded (Echo API product, proxy /gateway/echo/v1)");
  }
  await ensureManagementProduct(portalContext()); // after the demo seed, which only runs on an empty database

  // Next.js starts on its thread while the machine lane starts serving: gateway and token
  // endpoints do not wait for the portal (pages answer 503 until it listens; /readyz says so).
  const browserLane = launchBrowserLane({ threadBus, dev, projectDir, host: config.host, port: config.port, okta: oktaSettings, env: operatorEnvironment(config), log });
  addMetricsSource(() => browserLane.metrics());
  const browserStarted = browserLane.started.catch((error: Error) => {
    log.fatal({ err: error }, "the portal (Next.js) could not start");
    process.exit(1);
  });
  const closeOkta: ShutdownStep[] = embeddedOkta ? [{ name: "okta-dev", run: () => embeddedOkta.okta.stop() }] : [];
  const closeShared: ShutdownStep[] = [{ name: "store", run: closeStore }, { name: "database", run: closeDb }, ...closeOkta];

  const workerCount = machineWorkerCount(config.gateway.workers, dev, availableParallelism());
  let stop: (reason: string) => Promise<void>;
  if (workerCount === 1) {
    const lane = await startMachineLane({
      config,
      log,
      dev,
      db,
      store,
      browser: browserLane,
      browserSocketPath: browserLane.socketPath,
      retention: true,
      stepsBefore: [{ name: "browser lane (Next.js)", run: () => browserLane.close() }],
      stepsAfter: closeShared,
    });
    stop = lane.shutdown.shutdown;
  } else {
    // The primary keeps the one analytics sink and, without Redis, the store the workers share.
    const sink = workerSink(config.database);
    const retention = startAnalyticsRetention(db, config.analyticsRetention, log);
    const workers = await startMachineWorkers({
      count: workerCount,
      init: { okta: oktaSettings, browserSocketPath: browserLane.socketPath },
      env: operatorEnvironment(config),
      store: config.redis ? null : store,
      sink,
      log,
    });
    stop = async (reason) => {
      log.info({ reason }, "shutting down");
      // workers drain first (their analytics reach the sink); then what they shared
      await workers.stop(config.shutdownTimeoutMs + config.shutdownDrainDelayMs + 5_000);
      for (const step of [
        { name: "browser lane (Next.js)", run: () => browserLane.close() },
        { name: "analytics retention", run: () => retention.stop() },
        { name: "analytics sink", run: () => sink.close() },
        ...closeShared,
      ]) {
        await Promise.resolve()
          .then(step.run)
          .catch((error: Error) => log.error({ err: error, step: step.name }, "shutdown step failed"));
      }
    };
  }

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stop(signal).then(() => process.exit(0));
      process.once(signal, () => process.exit(1)); // a second signal: stop now
    });
  }

  log.info(
    {
      url: config.publicUrl,
      listen: `${config.host}:${config.port}`,
      tls: config.tls ? (config.tls.clientCa ? "mutual" : "server") : "off",
      mode: dev ? "development" : "production",
      machineLane: workerCount === 1 ? "main thread" : `${workerCount} worker processes`,
      store: store.kind,
      database: describeDatabase(config.database),
    },
    `Gatehouse is listening on ${config.publicUrl}`,
  );
  await browserStarted;
  log.info("portal ready");
}

(cluster.isWorker ? runMachineWorker(config, log, dev) : main()).catch((error: Error) => {
  log.fatal({ err: error }, "start-up failed");
  process.stderr.write(`Gatehouse could not start: ${error.message}\n`);
  process.exit(1);
});
