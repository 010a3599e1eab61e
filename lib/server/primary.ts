// The primary process of Gatehouse (server.ts runs it): migrations, okta-dev, the demo seed,
// Next.js on its thread, and the machine lane — on this thread (GATEWAY_WORKERS=1) or on worker
// processes (machine-workers.ts), which are forked first so that they load while okta-dev and
// the seed start, and are told what they need once it is known.
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import type { Logger } from "pino";
import { describeDatabase, operatorEnvironment, prepareNextEnvironment, type Config } from "../config/index.ts";
import { migrateDatabase } from "../db/migrations/index.ts";
import { closeDb, getDb } from "../db/index.ts";
import { closeStore, getStore } from "../store/index.ts";
import type { ShutdownStep } from "../http/shutdown.ts";
import { ECHO_BASE_PATH } from "../echo/routes.ts";
import { enableThreadBus } from "../runtime/thread-bus.ts";
import { addMetricsSource } from "../metrics/index.ts";
import { workerSink, type BatchSink } from "../analytics/sink.ts";
import { startAnalyticsRetention } from "../analytics/retention.ts";
import { oktaSettingsFromConfig, setOktaSettings, type OktaSettings } from "../okta/settings.ts";
import { ensureProductionBuild } from "./production-build.ts";
import { browserSocket, launchBrowserLane } from "./browser-lane.ts";
import { browserRelay } from "./browser-relay.ts";
import { machineWorkerCount, startMachineWorkers, type MachineWorkerInit } from "./machine-workers.ts";
import { startAccessLogShipping } from "../log/access-log-shipper.ts";

export async function runPrimary(config: Config, log: Logger, dev: boolean, projectDir: string): Promise<void> {
  // The main thread and the browser lane's talk over one bus (lib/runtime/thread-bus.ts), set
  // before the store, which joins it.
  const threadBus = randomUUID();
  enableThreadBus(threadBus);
  const store = getStore();
  // Access-log lines of every machine-lane process are written here (lib/log/access-log-shipper.ts).
  const accessLog = startAccessLogShipping(config.accessLog, log);
  // after a rotation (logrotate's postrotate `kill -HUP`): the next batch opens the file at its path
  if (accessLog && config.accessLog.file) process.on("SIGHUP", () => accessLog.reopen());
  const closeAccessLog: ShutdownStep[] = accessLog ? [{ name: "access log (queued lines leave)", run: () => accessLog.close() }] : [];
  // Worker processes first: they listen at once (answering /healthz, 503 "starting" to the rest)
  // and load the machine lane while the database is migrated and okta-dev and the seed start;
  // they build it when told `init`.
  const workerCount = machineWorkerCount(config.gateway.workers, dev, availableParallelism());
  let tellWorkers!: (init: MachineWorkerInit) => void;
  const init = new Promise<MachineWorkerInit>((resolve) => (tellWorkers = resolve));
  let sinkReady!: (sink: BatchSink) => void;
  const sinkOnceMigrated = new Promise<BatchSink>((resolve) => (sinkReady = resolve));
  const workersStarted =
    workerCount > 1
      ? startMachineWorkers({ count: workerCount, init, env: operatorEnvironment(config), store: config.redis ? null : store, sink: sinkOnceMigrated, accessLog, log })
      : null;
  workersStarted?.catch(() => {}); // awaited below; a failure meanwhile must not count as unhandled

  prepareNextEnvironment(dev, config.publicUrl);
  if (config.migrateOnStart) {
    const applied = await migrateDatabase(config.database);
    log.info({ database: describeDatabase(config.database), applied }, "database migrated");
  }
  const db = getDb();
  // the one analytics sink of the worker processes (it prepares its statements on the migrated schema)
  const sink = workersStarted ? workerSink(config.database) : null;
  if (sink) sinkReady(sink);

  if (!dev) await ensureProductionBuild(projectDir, log);
  // Okta: the configured org, or okta-dev in this process (first run, tests, CI).
  // (loaded on demand: oidc-provider has no business in a process that uses a real org)
  const embeddedOkta = config.okta.mode === "embedded" ? await (await import("../okta/embedded.ts")).startEmbeddedOkta(config, log) : null;
  const oktaSettings: OktaSettings = embeddedOkta?.settings ?? oktaSettingsFromConfig(config)!;
  setOktaSettings(oktaSettings);

  // loaded here, not at the top: the workers are forked before these modules load
  const [{ portalContext }, { seedDemoData }, { ensureManagementProduct }] = await Promise.all([
    import("../portal/runtime.ts"),
    import("../portal/demo-seed.ts"),
    import("../portal/management-product.ts"),
  ]);
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
  // One notification worker per instance, here and not in the machine-lane workers (instances
  // share the work through leases in the database). With the embedded defaults it runs the
  // development mail catcher too.
  const notifications = await (await import("../notifications/worker.ts")).startNotificationWorker({ db, store, config, log });
  const stopNotifications: ShutdownStep = { name: "notifications (sends in flight finish)", run: () => notifications.stop() };
  // every instance sweeps (each step is safe to run concurrently): grace periods, expiry warnings
  const { startCredentialSweep } = await import("../portal/credential-sweep.ts");
  const credentialSweep = startCredentialSweep(portalContext(), config.credentialSweepIntervalSeconds * 1000, log);
  const stopSweep: ShutdownStep = { name: "credential sweep", run: () => credentialSweep.stop() };

  // The machine lane serves first, then Next.js starts on its thread: gateway and token
  // endpoints do not wait for the portal, nor share the cores with its start (pages answer 503
  // until it listens; /readyz reports it as an optional check).
  const socket = browserSocket();
  const relay = browserRelay(socket.socketPath, log);
  let browserLane: ReturnType<typeof launchBrowserLane> | null = null;
  const closeBrowser: ShutdownStep = { name: "browser lane (Next.js)", run: async () => void (await browserLane?.close(), relay.close()) };
  const closeShared: ShutdownStep[] = [
    { name: "store", run: closeStore },
    { name: "database", run: closeDb },
    ...(embeddedOkta ? [{ name: "okta-dev", run: () => embeddedOkta.okta.stop() }] : []),
  ];

  let stop: (reason: string) => Promise<void>;
  if (!workersStarted) {
    const { startMachineLane } = await import("./machine-lane.ts");
    const lane = await startMachineLane({
      config,
      log,
      dev,
      db,
      store,
      browser: relay,
      browserSocketPath: socket.socketPath,
      retention: true,
      accessLog,
      stepsBefore: [closeBrowser, stopSweep, stopNotifications],
      stepsAfter: [...closeAccessLog, ...closeShared],
    });
    stop = lane.shutdown.shutdown;
  } else {
    // The primary keeps the one analytics sink, its retention and, without Redis, the store.
    tellWorkers({ okta: oktaSettings, browserSocketPath: socket.socketPath });
    const workers = await workersStarted;
    const retention = startAnalyticsRetention(db, config.analyticsRetention, log);
    stop = async (reason) => {
      log.info({ reason }, "shutting down");
      // workers drain first (their analytics reach the sink); then what they shared
      await workers.stop(config.shutdownTimeoutMs + config.shutdownDrainDelayMs + 5_000);
      for (const step of [
        closeBrowser,
        stopSweep,
        stopNotifications,
        { name: "analytics retention", run: () => retention.stop() },
        { name: "analytics sink", run: () => sink!.close() },
        ...closeAccessLog,
        ...closeShared,
      ]) {
        await Promise.resolve()
          .then(step.run)
          .catch((error: Error) => log.error({ err: error, step: step.name }, "shutdown step failed"));
      }
      log.info("shutdown complete");
    };
  }
  browserLane = launchBrowserLane({
    threadBus,
    dev,
    projectDir,
    host: config.host,
    port: config.port,
    okta: oktaSettings,
    env: operatorEnvironment(config),
    log,
    socket,
    store: config.redis ? null : store,
  });
  addMetricsSource(() => browserLane!.metrics());
  const browserStarted = browserLane.started.catch((error: Error) => {
    log.fatal({ err: error }, "the portal (Next.js) could not start");
    process.exit(1);
  });

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
      machineLane: workersStarted ? `${workerCount} worker processes` : "main thread",
      store: store.kind,
      database: describeDatabase(config.database),
    },
    `Gatehouse is listening on ${config.publicUrl}`,
  );
  await browserStarted;
  log.info("portal ready");
}
