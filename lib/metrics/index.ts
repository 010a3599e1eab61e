// Prometheus metrics: one registry per process (server.ts runs lib/ through tsx while Next.js
// bundles its own copy, hence sharedInstance). Hot paths call the small record* functions
// below — a label lookup and an add, nothing that allocates much or awaits.
// Label values are bounded: route classes (the machine router's patterns, a few browser
// classes), a proxy's base path + version, grant types, policy names, store operations.
import { isMainThread } from "node:worker_threads";
import client from "prom-client";
import { sharedInstance } from "../runtime/shared-instance.ts";

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics() {
  const registry = new client.Registry();
  // process metrics once, from the main thread (the portal's worker thread shares the process)
  if (isMainThread) client.collectDefaultMetrics({ register: registry, prefix: "gatehouse_" });
  const registers = [registry];
  return {
    registry,
    httpRequests: new client.Counter({ name: "gatehouse_http_requests_total", help: "HTTP requests answered, by lane, route class and status code", labelNames: ["lane", "route", "status"] as const, registers }),
    httpDuration: new client.Histogram({ name: "gatehouse_http_request_duration_seconds", help: "HTTP request duration until the response finished, by lane and route class", labelNames: ["lane", "route"] as const, buckets: LATENCY_BUCKETS, registers }),
    gatewayCalls: new client.Counter({ name: "gatehouse_gateway_calls_total", help: "Gateway calls by proxy (base path/version), outcome (status class) and the policy that answered (blocked_by, empty when none)", labelNames: ["proxy", "outcome", "blocked_by"] as const, registers }),
    gatewayDuration: new client.Histogram({ name: "gatehouse_gateway_call_duration_seconds", help: "Gateway call duration by proxy", labelNames: ["proxy"] as const, buckets: LATENCY_BUCKETS, registers }),
    tokensIssued: new client.Counter({ name: "gatehouse_oauth_tokens_issued_total", help: "Successful token endpoint answers, by grant type", labelNames: ["grant"] as const, registers }),
    tokenCache: new client.Counter({ name: "gatehouse_token_cache_lookups_total", help: "Access-token validator cache lookups, by result (hit, miss)", labelNames: ["result"] as const, registers }),
    storeFailures: new client.Counter({ name: "gatehouse_store_failures_total", help: "Failed shared-store (Redis) operations, by operation", labelNames: ["operation"] as const, registers }),
    counterDegraded: new client.Counter({ name: "gatehouse_counter_store_degraded_total", help: "Times quota / spike-arrest counting fell back to per-instance memory (store failed or slow), by policy", labelNames: ["policy"] as const, registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function metrics(): Metrics {
  return sharedInstance("metrics", createMetrics);
}

// Per-call metrics go through label children kept by a key string: prom-client's own lookup
// hashes the label object on every call, a visible cost at gateway rates.
const children = () => sharedInstance("metrics-children", () => new Map<string, { inc?(): void; observe?(value: number): void }>());

function child<T extends { inc?(): void; observe?(value: number): void }>(key: string, make: () => T): T {
  const cache = children();
  let found = cache.get(key) as T | undefined;
  if (!found) cache.set(key, (found = make()));
  return found;
}

export function recordHttpRequest(lane: string, route: string, status: number, seconds: number): void {
  const m = metrics();
  child(`http\0${lane}\0${route}\0${status}`, () => m.httpRequests.labels(lane, route, String(status))).inc();
  child(`http-duration\0${lane}\0${route}`, () => m.httpDuration.labels(lane, route)).observe(seconds);
}

export function recordGatewayCall(proxy: string, status: number, blockedBy: string | null, seconds: number): void {
  const m = metrics();
  const outcome = `${Math.floor(status / 100)}xx`;
  child(`gateway\0${proxy}\0${outcome}\0${blockedBy ?? ""}`, () => m.gatewayCalls.labels(proxy, outcome, blockedBy ?? "")).inc();
  child(`gateway-duration\0${proxy}`, () => m.gatewayDuration.labels(proxy)).observe(seconds);
}

export function recordTokenIssued(grant: string): void {
  metrics().tokensIssued.inc({ grant });
}

export function recordTokenCache(hit: boolean): void {
  const result = hit ? "hit" : "miss";
  child(`token-cache\0${result}`, () => metrics().tokenCache.labels(result)).inc();
}

export function recordStoreFailure(operation: string): void {
  metrics().storeFailures.inc({ operation });
}

export function recordCounterDegraded(policy: string): void {
  metrics().counterDegraded.inc({ policy });
}

/** The exposition text and its content type. */
/** This thread's metrics as JSON, for the main thread to add up (see addMetricsSource). */
export function metricsJson(): Promise<client.MetricObjectWithValues<client.MetricValue<string>>[]> {
  return metrics().registry.getMetricsAsJSON();
}

type MetricsSource = () => Promise<client.MetricObjectWithValues<client.MetricValue<string>>[]>;
const sources = () => sharedInstance("metrics-sources", () => new Set<MetricsSource>());

/** Another thread's metrics, summed into /metrics (the portal's worker thread). */
export function addMetricsSource(source: MetricsSource): () => void {
  sources().add(source);
  return () => void sources().delete(source);
}

export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  if (sources().size === 0) return { contentType: m.registry.contentType, body: await m.registry.metrics() };
  const others = await Promise.all([...sources()].map((source) => source().catch(() => [])));
  const sum = client.AggregatorRegistry.aggregate([await m.registry.getMetricsAsJSON(), ...others]);
  return { contentType: m.registry.contentType, body: await sum.metrics() };
}
