// The machine lane as one process serves it: token endpoints, gateway, echo backend, health and
// metrics on a node:http(s) server, with everything else relayed to the browser lane (Next.js,
// browser-relay.ts). server.ts runs it on its main thread (GATEWAY_WORKERS=1) or each
// machine-lane worker process runs one (machine-workers.ts); the closing steps of what it
// built are its own, the caller adds those of what it owns (the browser lane, okta-dev).
import type http from "node:http";
import net from "node:net";
import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import type { Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import type { EventSink } from "../analytics/sink.ts";
import { createMachineRouter } from "../http/router.ts";
import { createRequestListener } from "../http/lanes.ts";
import { createGracefulShutdown, type GracefulShutdown, type ShutdownStep } from "../http/shutdown.ts";
import { healthRoutes } from "../health/routes.ts";
import { metricsRoutes } from "../metrics/routes.ts";
import { oauthRoutes } from "../oauth/routes.ts";
import { accessTokenValidator, clientCache } from "../oauth/runtime.ts";
import { gatewayRoutes } from "../gateway/routes.ts";
import { createGateway } from "../gateway/gateway.ts";
import { echoRoutes } from "../echo/routes.ts";
import { echoKey } from "../echo/key.ts";
import { DpopVerifier } from "../oauth/dpop/verifier.ts";
import type { BrowserRelay } from "./browser-relay.ts";
import { createMachineServer, listenMachineServer, type RequestListener } from "./machine-server.ts";
import type { AccessLogShipper } from "../log/access-log-shipper.ts";

export interface MachineLaneOptions {
  config: Config;
  log: Logger;
  dev: boolean;
  db: Database;
  store: Store;
  /** Where browser-lane requests go, and the socket whose answering makes the portal ready. */
  browser: Pick<BrowserRelay, "handle" | "upgrade">;
  browserSocketPath: string;
  /** The gateway's analytics sink when not its own (a worker forwards to the primary). */
  analyticsSink?: EventSink;
  /** Whether this process deletes analytics past their retention (one process does). */
  retention: boolean;
  /** Where access-log lines go (the caller closes it); null or absent: not shipped. */
  accessLog?: AccessLogShipper | null;
  /** Closing steps before the lane's own (the browser lane) and after them (okta-dev, the database). */
  stepsBefore?: ShutdownStep[];
  stepsAfter?: ShutdownStep[];
}

export interface MachineLane {
  server: http.Server;
  shutdown: GracefulShutdown;
}

/** Builds the lane and serves it: on `listening` (a worker's server, answering "starting"
 * meanwhile, machine-server.ts), or on a server of its own that it makes listen. */
export async function startMachineLane(options: MachineLaneOptions, listening?: { server: http.Server; serve: (listener: RequestListener) => void }): Promise<MachineLane> {
  const { config, log, db, store } = options;
  const validator = accessTokenValidator();
  const clients = clientCache();
  await Promise.all([validator.start(), clients.start()]);
  const gateway = createGateway({ config, db, store, log, validator, clients, analyticsSink: options.analyticsSink, retention: options.retention });
  await gateway.start();
  // the OpenTelemetry SDK loads only when an OTLP endpoint is configured
  const tracing = config.telemetry.tracesEndpoint ? (await import("../telemetry/tracing.ts")).createTracing(config.telemetry) : null;

  const server = listening?.server ?? createMachineServer(config);
  const shutdown = createGracefulShutdown(server, {
    timeoutMs: config.shutdownTimeoutMs,
    drainDelayMs: config.shutdownDrainDelayMs,
    log,
    steps: [
      ...(options.stepsBefore ?? []),
      { name: "gateway (analytics flush, upstream pools)", run: () => gateway.stop() },
      { name: "token cache", run: () => validator.stop() },
      { name: "client cache", run: () => clients.stop() },
      ...(options.stepsAfter ?? []),
      // last: a collector that hangs holds nothing else back (the export gives up after 5 s)
      ...(tracing ? [{ name: "trace export", run: () => tracing.shutdown() }] : []),
    ],
  });
  const router = createMachineRouter(
    healthRoutes(
      [
        { name: "database", check: () => db.$queryRaw`SELECT 1` },
        { name: "store", check: () => store.ping() },
        // the machine lane serves without the portal (it starts later, restarts on its own)
        { name: "portal", check: () => socketAnswers(options.browserSocketPath), optional: true },
      ],
      shutdown.isShuttingDown,
    ),
    oauthRoutes({
      db,
      store,
      clients,
      issuer: config.publicUrl,
      validator,
      encryptionKey: config.secrets.encryptionKey,
      mutualTls: Boolean(config.tls?.clientCa),
      dpop: new DpopVerifier({ store, encryptionKey: config.secrets.encryptionKey, publicUrl: config.publicUrl, config: config.dpop }),
      pushedRequestLifetimeSeconds: config.pushedRequestLifetimeSeconds,
    }),
    gatewayRoutes(gateway),
    echoRoutes(echoKey(config.secrets.encryptionKey)),
    metricsRoutes({ token: config.metricsToken }),
  );
  const listener = createRequestListener({
    router,
    browser: options.browser.handle,
    log,
    headers: { dev: options.dev, https: config.publicUrl.startsWith("https:") },
    isShuttingDown: shutdown.isShuttingDown,
    accessLog: options.accessLog,
    tracing,
  });
  if (options.dev) server.on("upgrade", options.browser.upgrade);
  if (listening) listening.serve(listener);
  else await listenMachineServer(server, config, listener);
  return { server, shutdown };
}

/** Resolves when something accepts connections on the Unix socket. */
function socketAnswers(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path, () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}
