// The gateway as server.ts runs it: the proxy registry, the app directory, the upstream
// pools, the analytics writer (and its retention) and what its policies share (services,
// counters, clock), started and stopped together.
import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import type { Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import type { OAuthClient } from "../oauth/clients.ts";
import type { MaybePromise } from "../runtime/maybe-async.ts";
import type { ValidToken } from "../oauth/tokens/validator.ts";
import { AnalyticsWriter } from "../analytics/writer.ts";
import { workerSink, type EventSink } from "../analytics/sink.ts";
import { startAnalyticsRetention } from "../analytics/retention.ts";
import { getOktaSettings } from "../okta/settings.ts";
import { AppDirectory } from "./apps.ts";
import { createGatewayHandler } from "./pipeline.ts";
import { ProxyRegistry } from "./registry.ts";
import { createGatewayServices } from "./services.ts";
import { DpopVerifier } from "../oauth/dpop/verifier.ts";
import { FaultTolerantCounters } from "./counters.ts";
import type { Clock, PolicyRuntime } from "./policy.ts";
import { targetPolicyOf } from "./target-policy.ts";
import { closeBotDetector, getBotDetector } from "../security/bot/index.ts";
import { Upstream } from "./upstream.ts";
import { ResponseCache } from "./response-cache/response-cache.ts";
import { echoKey } from "../echo/key.ts";
import type { MachineHandler } from "../http/types.ts";
import { addUpstreamTargetsSource } from "../metrics/index.ts";
import { UpstreamSets, type ProxyTargetsView } from "./upstreams/upstream-sets.ts";
import { answerHealthAsks } from "./upstreams/health-reports.ts";
import { GatewayEventEmitter } from "./gateway-events.ts";
import { accessLogEnabled } from "../log/access-log-shipper.ts";

export interface Gateway {
  handler: MachineHandler;
  start(): Promise<void>;
  /** Stops taking changes, writes the analytics still buffered, closes upstream connections. */
  stop(): Promise<void>;
  /** The targets of balanced proxies and their health, as this gateway sees them. */
  targetHealth(proxyId?: string): ProxyTargetsView[];
}

export function createGateway(deps: {
  config: Config;
  db: Database;
  store: Store;
  log: Logger;
  validator: { validate(token: string): MaybePromise<ValidToken | null> };
  clients: { find(clientId: string): MaybePromise<OAuthClient | null> };
  /** Where analytics batches go: a database sink of the gateway's own unless given (a
   * machine-lane worker forwards them to the primary's). */
  analyticsSink?: EventSink;
  /** Whether this gateway deletes analytics past their retention (one process of a cluster does). */
  retention?: boolean;
}): Gateway {
  const { config, db, store, log } = deps;
  const gw = config.gateway;
  const targetPolicy = targetPolicyOf(config);
  const apps = new AppDirectory(db, store);
  const upstream = new Upstream({
    connectTimeoutMs: gw.connectTimeoutMs,
    headersTimeoutMs: gw.headersTimeoutMs,
    bodyTimeoutMs: gw.bodyTimeoutMs,
    targetPolicy,
    ownCertificate: config.tls?.cert ?? null,
  });
  const key = echoKey(config.secrets.encryptionKey);
  // this gateway's targets, health and circuits: each worker process keeps its own
  const upstreams = new UpstreamSets(upstream, key);
  const registry = new ProxyRegistry(db, store, log, { maxRequestBytes: gw.maxRequestBytes, targetPolicy, upstreams });
  let stopReporting: Array<() => unknown> = [];
  const analytics = new AnalyticsWriter(deps.analyticsSink ?? workerSink(config.database), log);
  let retention: { stop(): Promise<void> } | null = null;
  const clock: Clock = { now: Date.now };
  // memory: one cache per gateway process (each worker its own); Redis: shared by every instance
  const responseCache = new ResponseCache(store, { memoryBytes: gw.cacheMemoryBytes, log, now: clock.now });
  // notification events leave the call through a bounded queue; the database is never awaited
  const events = new GatewayEventEmitter({ db, store, log, now: clock.now });
  // the bot detector is the process's: the token endpoint feeds the same behaviour windows
  const policyServices = createGatewayServices({
    db,
    store,
    log,
    now: clock.now,
    validator: deps.validator,
    clients: deps.clients,
    apps,
    bots: getBotDetector(),
    encryptionKey: config.secrets.encryptionKey,
    oktaIssuer: () => getOktaSettings().issuer,
    responseCache,
    dpop: new DpopVerifier({ store, encryptionKey: config.secrets.encryptionKey, publicUrl: config.publicUrl, config: config.dpop }),
    events,
  });
  const counters = new FaultTolerantCounters(store, clock.now);
  const runtime: PolicyRuntime = { services: policyServices.services, store: counters, clock };
  const handler = createGatewayHandler({
    registry,
    runtime,
    upstream,
    analytics,
    upstreamTimeoutMs: gw.upstreamTimeoutMs,
    maxResponseBytes: gw.maxResponseBytes,
    publicHttps: config.publicUrl.startsWith("https:"),
    publicHost: new URL(config.publicUrl).host,
    echoKey: key,
    accessLog: accessLogEnabled(config.accessLog),
  });
  return {
    handler,
    async start() {
      analytics.start();
      events.start();
      if (deps.retention !== false) retention = startAnalyticsRetention(db, config.analyticsRetention, log);
      await Promise.all([apps.start(), registry.start(), responseCache.start()]);
      stopReporting = [addUpstreamTargetsSource(() => upstreams.views()), await answerHealthAsks(store, upstreams)];
    },
    targetHealth: (proxyId) => upstreams.views(proxyId),
    async stop() {
      await Promise.all(stopReporting.map((stop) => stop()));
      await Promise.all([registry.stop(), apps.stop(), policyServices.close(), closeBotDetector(), responseCache.stop()]);
      await counters.close();
      await retention?.stop();
      await analytics.stop();
      await events.stop();
      await upstream.close();
    },
  };
}
