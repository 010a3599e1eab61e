// Prometheus metrics: one registry per process (server.ts runs lib/ through tsx while Next.js
// bundles its own copy, hence sharedInstance). Hot paths call the small record* functions
// below — a label lookup and an add, nothing that allocates much or awaits.
// Label values are bounded: route classes (the machine router's patterns, a few browser
// classes), a proxy's base path + version, grant types, policy names, store operations.
import { isMainThread } from "node:worker_threads";
import client from "prom-client";
import { sharedInstance } from "../runtime/shared-instance.ts";
import { CounterSeries, HistogramSeries, HotCounter, HotHistogram } from "./hot.ts";

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics() {
  const registry = new client.Registry();
  // process metrics once, from the main thread (the portal's worker thread shares the process)
  if (isMainThread) client.collectDefaultMetrics({ register: registry, prefix: "gatehouse_" });
  const registers = [registry];
  return {
    registry,
    httpRequests: hot(registry, new HotCounter("gatehouse_http_requests_total", "HTTP requests answered, by lane, route class and status code", ["lane", "route", "status"])),
    httpDuration: hot(
      registry,
      new HotHistogram("gatehouse_http_request_duration_seconds", "HTTP request duration until the response finished, by lane and route class", ["lane", "route"], LATENCY_BUCKETS),
    ),
    gatewayCalls: hot(
      registry,
      new HotCounter(
        "gatehouse_gateway_calls_total",
        "Gateway calls by proxy (base path/version), outcome (status class) and the policy that answered (blocked_by, empty when none)",
        ["proxy", "outcome", "blocked_by"],
      ),
    ),
    gatewayDuration: hot(registry, new HotHistogram("gatehouse_gateway_call_duration_seconds", "Gateway call duration by proxy", ["proxy"], LATENCY_BUCKETS)),
    tokensIssued: new client.Counter({
      name: "gatehouse_oauth_tokens_issued_total",
      help: "Successful token endpoint answers, by grant type",
      labelNames: ["grant"] as const,
      registers,
    }),
    tokenCache: hot(registry, new HotCounter("gatehouse_token_cache_lookups_total", "Access-token validator cache lookups, by result (hit, miss)", ["result"])),
    storeFailures: new client.Counter({
      name: "gatehouse_store_failures_total",
      help: "Failed shared-store (Redis) operations, by operation",
      labelNames: ["operation"] as const,
      registers,
    }),
    counterDegraded: new client.Counter({
      name: "gatehouse_counter_store_degraded_total",
      help: "Times quota / spike-arrest counting fell back to per-instance memory (store failed or slow), by policy",
      labelNames: ["policy"] as const,
      registers,
    }),
    notificationEventsDropped: new client.Counter({
      name: "gatehouse_notification_events_dropped_total",
      help: "Notification events the gateway dropped instead of writing them (its bounded queue was full, or the database kept failing), by event type",
      labelNames: ["type"] as const,
      registers,
    }),
    accessLogShipped: new client.Counter({
      name: "gatehouse_access_log_lines_shipped_total",
      help: "Access-log lines written to their sink, by sink (file, http; forward: a machine-lane worker's lines handed to the primary)",
      labelNames: ["sink"] as const,
      registers,
    }),
    accessLogDropped: new client.Counter({
      name: "gatehouse_access_log_lines_dropped_total",
      help: "Access-log lines given up, by sink and reason (queue_full: the bounded queue was full; send_failed: the batch failed every try; shutdown: still queued when the bounded wait at shutdown ended)",
      labelNames: ["sink", "reason"] as const,
      registers,
    }),
    accessLogFailedBatches: new client.Counter({
      name: "gatehouse_access_log_failed_batches_total",
      help: "Access-log batches a sink gave up on after its tries (their lines are counted as dropped, reason send_failed)",
      labelNames: ["sink"] as const,
      registers,
    }),
    ...upstreamTargetGauges(registers),
  };
}

/** One proxy's targets as a gateway sees them (lib/gateway/upstreams), read at each scrape. */
export interface UpstreamTargetsReading {
  proxy: string;
  targets: ReadonlyArray<{ url: string; health: string; circuit: string | null; activeConnections: number; consecutiveFailures: number; failuresTotal: number }>;
}
type UpstreamTargetsSource = () => UpstreamTargetsReading[];
const upstreamSources = () => sharedInstance("metrics-upstream-sources", () => new Set<UpstreamTargetsSource>());

/** A gateway's balanced proxies, reported at every scrape until the returned function is called. */
export function addUpstreamTargetsSource(source: UpstreamTargetsSource): () => void {
  upstreamSources().add(source);
  return () => void upstreamSources().delete(source);
}

const CIRCUIT_STATES = ["closed", "half-open", "open"] as const;

/** Gauges read from the gateways' target state when scraped: nothing is counted per call. */
function upstreamTargetGauges(registers: client.Registry[]) {
  const readings = () => [...upstreamSources()].flatMap((source) => source());
  // With several machine-lane processes each reports its own view; /metrics adds them up with
  // `aggregator`: healthy only when every process takes calls to the target (min), a circuit
  // state when any process is in it (max), connections and failures summed.
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: client.Gauge, proxy: string, t: UpstreamTargetsReading["targets"][number]) => void,
    aggregator: client.Aggregator = "sum",
  ) =>
    new client.Gauge({
      name,
      help,
      labelNames,
      registers,
      aggregator,
      collect() {
        this.reset();
        for (const reading of readings()) for (const target of reading.targets) fill(this, reading.proxy, target);
      },
    });
  return {
    upstreamHealthy: gauge(
      "gatehouse_upstream_target_healthy",
      "1 when an upstream target takes calls (healthy, circuit not open), 0 when out or drained",
      ["proxy", "target"],
      (g, proxy, t) => g.set({ proxy, target: t.url }, t.health === "healthy" ? 1 : 0),
      "min",
    ),
    upstreamCircuit: gauge(
      "gatehouse_upstream_target_circuit_state",
      "An upstream target's circuit breaker: 1 for its current state",
      ["proxy", "target", "state"],
      (g, proxy, t) => {
        if (t.circuit) for (const state of CIRCUIT_STATES) g.set({ proxy, target: t.url, state }, t.circuit === state ? 1 : 0);
      },
      "max",
    ),
    upstreamActive: gauge("gatehouse_upstream_target_active_connections", "Calls in flight to an upstream target", ["proxy", "target"], (g, proxy, t) =>
      g.set({ proxy, target: t.url }, t.activeConnections),
    ),
    upstreamConsecutive: gauge(
      "gatehouse_upstream_target_consecutive_failures",
      "Failed or timed-out calls in a row to an upstream target",
      ["proxy", "target"],
      (g, proxy, t) => g.set({ proxy, target: t.url }, t.consecutiveFailures),
      "max",
    ),
    upstreamFailures: gauge("gatehouse_upstream_target_failures", "Failed or timed-out calls to an upstream target since the gateway started", ["proxy", "target"], (g, proxy, t) =>
      g.set({ proxy, target: t.url }, t.failuresTotal),
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function metrics(): Metrics {
  return sharedInstance("metrics", createMetrics);
}

/** A hot metric in the registry, beside prom-client's own. */
function hot<M extends HotCounter | HotHistogram>(registry: client.Registry, metric: M): M {
  registry.registerMetric(metric as unknown as client.Metric);
  return metric;
}

// Per-call metrics: the series found once, then plain additions. Looked up one label value at a
// time: the values are mostly the same string objects call after call (route patterns, a proxy's
// label), whose hashes V8 keeps — a key string joined per call was built and hashed every time.
interface HttpRouteSeries {
  duration: HistogramSeries;
  byStatus: Map<number, CounterSeries>;
}
interface GatewayProxySeries {
  duration: HistogramSeries;
  /** By the policy that answered ("" for none), then by status class (2 for 2xx). */
  calls: Map<string, CounterSeries[]>;
}
const httpSeries = () => sharedInstance("metrics-http-series", () => new Map<string, Map<string, HttpRouteSeries>>());
const gatewaySeries = () => sharedInstance("metrics-gateway-series", () => new Map<string, GatewayProxySeries>());

export function recordHttpRequest(lane: string, route: string, status: number, seconds: number): void {
  const lanes = httpSeries();
  let routes = lanes.get(lane);
  if (!routes) lanes.set(lane, (routes = new Map()));
  let found = routes.get(route);
  if (!found) routes.set(route, (found = { duration: metrics().httpDuration.series(lane, route), byStatus: new Map() }));
  let counter = found.byStatus.get(status);
  if (!counter) found.byStatus.set(status, (counter = metrics().httpRequests.series(lane, route, String(status))));
  counter.inc();
  found.duration.observe(seconds);
}

export function recordGatewayCall(proxy: string, status: number, blockedBy: string | null, seconds: number): void {
  const proxies = gatewaySeries();
  let found = proxies.get(proxy);
  if (!found) proxies.set(proxy, (found = { duration: metrics().gatewayDuration.series(proxy), calls: new Map() }));
  const by = blockedBy ?? "";
  let byClass = found.calls.get(by);
  if (!byClass) found.calls.set(by, (byClass = []));
  const statusClass = Math.floor(status / 100);
  (byClass[statusClass] ??= metrics().gatewayCalls.series(proxy, `${statusClass}xx`, by)).inc();
  found.duration.observe(seconds);
}

export function recordTokenIssued(grant: string): void {
  metrics().tokensIssued.inc({ grant });
}

const tokenCacheSeries = { hit: null as CounterSeries | null, miss: null as CounterSeries | null };

export function recordTokenCache(hit: boolean): void {
  const result = hit ? "hit" : "miss";
  (tokenCacheSeries[result] ??= metrics().tokenCache.series(result)).inc();
}

export function recordStoreFailure(operation: string): void {
  metrics().storeFailures.inc({ operation });
}

export function recordCounterDegraded(policy: string): void {
  metrics().counterDegraded.inc({ policy });
}

export function recordNotificationEventDropped(type: string, count = 1): void {
  metrics().notificationEventsDropped.inc({ type }, count);
}

export type AccessLogDropReason = "queue_full" | "send_failed" | "shutdown";

/** The access-log counters of one sink, their series found once (a full queue counts per line). */
export function accessLogCounters(sink: string): { shipped(lines: number): void; dropped(lines: number, reason: AccessLogDropReason): void; failedBatch(): void } {
  const m = metrics();
  const shipped = m.accessLogShipped.labels(sink);
  const dropped = {
    queue_full: m.accessLogDropped.labels(sink, "queue_full"),
    send_failed: m.accessLogDropped.labels(sink, "send_failed"),
    shutdown: m.accessLogDropped.labels(sink, "shutdown"),
  };
  const failed = m.accessLogFailedBatches.labels(sink);
  return {
    shipped: (lines) => shipped.inc(lines),
    dropped: (lines, reason) => dropped[reason].inc(lines),
    failedBatch: () => failed.inc(),
  };
}

/** This thread's metrics as JSON, for the main thread to add up (see addMetricsSource). */
export function metricsJson(): Promise<client.MetricObjectWithValues<client.MetricValue<string>>[]> {
  return metrics().registry.getMetricsAsJSON();
}

type MetricsSource = () => Promise<client.MetricObjectWithValues<client.MetricValue<string>>[]>;
const sources = () => sharedInstance("metrics-sources", () => new Set<MetricsSource>());

/** Another thread's or process's metrics, summed into /metrics (the portal's worker thread,
 * the machine-lane workers). */
export function addMetricsSource(source: MetricsSource): () => void {
  sources().add(source);
  return () => void sources().delete(source);
}

export interface RenderedMetrics {
  contentType: string;
  body: string;
}

const renderer = () => sharedInstance<{ render: (() => Promise<RenderedMetrics>) | null }>("metrics-renderer", () => ({ render: null }));

/** Hands /metrics to another process: a machine-lane worker asks the primary, which sums
 * every process's metrics (lib/server/machine-workers.ts). */
export function renderMetricsElsewhere(render: () => Promise<RenderedMetrics>): void {
  renderer().render = render;
}

export async function renderMetrics(): Promise<RenderedMetrics> {
  const elsewhere = renderer().render;
  if (elsewhere) return elsewhere();
  const m = metrics();
  if (sources().size === 0) return { contentType: m.registry.contentType, body: await m.registry.metrics() };
  const others = await Promise.all([...sources()].map((source) => source().catch(() => [])));
  const sum = client.AggregatorRegistry.aggregate([await m.registry.getMetricsAsJSON(), ...others]);
  return { contentType: m.registry.contentType, body: await sum.metrics() };
}
