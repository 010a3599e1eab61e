// Gatehouse's one entry point. A node:http server with two lanes:
//   machine lane — /gateway/**, /oauth/token|introspect|revoke, /.well-known/…, /healthz,
//                  /readyz, /metrics: plain Node on this thread, no framework (the hot paths;
//                  see README "Architecture")
//   browser lane — everything else: Next.js (portal, admin console, management API) on a
//                  worker thread of its own, relayed to over a private socket
//                  (lib/server/browser-lane.ts)
// Usage: `npm start` runs this file compiled (`npm run build` → dist/server.js, Next's production
// build in .next); `npm run dev` runs it from source through tsx with `--dev`.
import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { ConfigError, describeDatabase, getConfig, operatorEnvironment, prepareNextEnvironment, type Config } from "./lib/config/index.ts";
import { getLogger } from "./lib/log/index.ts";
import { migrateDatabase } from "./lib/db/migrations/index.ts";
import { closeDb, getDb } from "./lib/db/index.ts";
import { closeStore, getStore } from "./lib/store/index.ts";
import { createMachineRouter } from "./lib/http/router.ts";
import { createRequestListener } from "./lib/http/lanes.ts";
import { createGracefulShutdown } from "./lib/http/shutdown.ts";
import { healthRoutes } from "./lib/health/routes.ts";
import { metricsRoutes } from "./lib/metrics/routes.ts";
import { oauthRoutes } from "./lib/oauth/routes.ts";
import { accessTokenValidator, clientCache } from "./lib/oauth/runtime.ts";
import { gatewayRoutes } from "./lib/gateway/routes.ts";
import { createGateway } from "./lib/gateway/gateway.ts";
import { echoRoutes, ECHO_BASE_PATH } from "./lib/echo/routes.ts";
import { echoKey } from "./lib/echo/key.ts";
import { portalContext } from "./lib/portal/runtime.ts";
import { seedDemoData } from "./lib/portal/demo-seed.ts";
import { ensureManagementProduct } from "./lib/portal/management-product.ts";
import { ensureProductionBuild } from "./lib/server/production-build.ts";
import { startBrowserLane } from "./lib/server/browser-lane.ts";
import { projectDirOf } from "./lib/server/project-dir.ts";
import { enableThreadBus } from "./lib/runtime/thread-bus.ts";
import { addMetricsSource } from "./lib/metrics/index.ts";
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
// the machine lane's thread and the browser lane's talk over one bus (lib/runtime/thread-bus.ts)
const threadBus = randomUUID();
enableThreadBus(threadBus);
process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled promise rejection"));

async function main(): Promise<void> {
  prepareNextEnvironment(dev, config.publicUrl);
  if (config.migrateOnStart) {
    const applied = await migrateDatabase(config.database);
    log.info({ database: describeDatabase(config.database), applied }, "database migrated");
  }
  if (!dev) await ensureProductionBuild(projectDir, log);

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
  const validator = accessTokenValidator();
  const clients = clientCache();
  await Promise.all([validator.start(), clients.start()]);
  const gateway = createGateway({ config, db, store, log, validator, clients });
  await gateway.start();
  const browserLane = await startBrowserLane({ threadBus, dev, projectDir, host: config.host, port: config.port, okta: oktaSettings, env: operatorEnvironment(config), log });
  addMetricsSource(() => browserLane.metrics());
  const timeouts = {
    headersTimeout: 10_000, // slow header senders (slowloris) are dropped
    requestTimeout: 60_000,
    keepAliveTimeout: 5_000,
    // node counts the request line in this limit: 24 KiB lets a 16 KiB URI reach the lanes'
    // 414 while 32 KiB of headers still get node's 431.
    maxHeaderSize: 24 * 1024,
    // Node checks headersTimeout/requestTimeout on this period (default 30 s, which would let
    // slow header senders stay three times longer than the timeout says)
    connectionsCheckingInterval: 1_000,
  };
  // HTTPS when TLS_CERT/TLS_KEY are set; with TLS_CLIENT_CA a client certificate is asked for
  // but optional at the handshake: endpoints decide (tls_client_auth, certificate-bound tokens)
  // through lib/http/tls.ts, and a browser without one still gets the portal.
  const server = config.tls
    ? https.createServer({
        ...timeouts,
        cert: config.tls.cert,
        key: config.tls.key,
        ...(config.tls.clientCa ? { ca: config.tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
      })
    : http.createServer(timeouts);
  const shutdown = createGracefulShutdown(server, {
    timeoutMs: config.shutdownTimeoutMs,
    drainDelayMs: config.shutdownDrainDelayMs,
    log,
    steps: [
      { name: "browser lane (Next.js)", run: () => browserLane.close() },
      { name: "gateway (analytics flush, upstream pools)", run: () => gateway.stop() },
      { name: "token cache", run: () => validator.stop() },
      { name: "client cache", run: () => clients.stop() },
      { name: "store", run: closeStore },
      { name: "database", run: closeDb },
      ...(embeddedOkta ? [{ name: "okta-dev", run: () => embeddedOkta.okta.stop() }] : []),
    ],
  });
  const router = createMachineRouter(
    healthRoutes(
      [
        { name: "database", check: () => db.$queryRaw`SELECT 1` },
        { name: "store", check: () => store.ping() },
      ],
      shutdown.isShuttingDown,
    ),
    oauthRoutes({ db, store, clients, issuer: config.publicUrl, validator, encryptionKey: config.secrets.encryptionKey, mutualTls: Boolean(config.tls?.clientCa) }),
    gatewayRoutes(gateway),
    echoRoutes(echoKey(config.secrets.encryptionKey)),
    metricsRoutes({ token: config.metricsToken }),
  );
  server.on(
    "request",
    createRequestListener({
      router,
      browser: browserLane.handle,
      log,
      headers: { dev, https: config.publicUrl.startsWith("https:") },
      isShuttingDown: shutdown.isShuttingDown,
    }),
  );
  if (dev) server.on("upgrade", browserLane.upgrade);

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      shutdown.shutdown(signal).then(() => process.exit(0));
      process.once(signal, () => process.exit(1)); // a second signal: stop now
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  log.info(
    {
      url: config.publicUrl,
      listen: `${config.host}:${config.port}`,
      tls: config.tls ? (config.tls.clientCa ? "mutual" : "server") : "off",
      mode: dev ? "development" : "production",
      store: store.kind,
      database: describeDatabase(config.database),
    },
    `Gatehouse is listening on ${config.publicUrl}`,
  );
}

main().catch((error: Error) => {
  log.fatal({ err: error }, "start-up failed");
  process.stderr.write(`Gatehouse could not start: ${error.message}\n`);
  process.exit(1);
});
