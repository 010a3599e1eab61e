// For unit tests: the PolicyContext a policy phase gets, built by hand as the pipeline would
// build it — a gateway runtime (fake services, counters over a store, a clock) shared by the
// calls of one test, and a call over a fake request. By default the call is authenticated as
// an authentication policy would leave it (app-1, product-1); `appId: null` makes it anonymous.
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import type { Logger } from "pino";
import { MemoryStore } from "../store/memory-store.ts";
import type { Store } from "../store/types.ts";
import type { AppStanding } from "./apps.ts";
import { FaultTolerantCounters, type CounterOptions } from "./counters.ts";
import { oktaKeySetsByIssuer } from "../okta/key-set.ts";
import { upstreamRequestHeaders } from "./headers.ts";
import type { CallerIdentity, PolicyContext, PolicyRuntime, ProxyDefinition } from "./policy.ts";
import type { GatewayServices } from "./services.ts";
import { DpopVerifier } from "../oauth/dpop/verifier.ts";
import { ResponseCache } from "./response-cache/response-cache.ts";
import { silentGatewayEvents } from "./gateway-events.ts";

const silent = pino({ level: "silent" });

export interface TestRuntimeOptions {
  services?: Partial<GatewayServices>;
  /** The counters' shared store; a fresh memory store by default (close it with the runtime). */
  store?: Store;
  now?: () => number;
  counters?: CounterOptions;
}

export type TestRuntime = PolicyRuntime & { close(): Promise<void> };

/** What one gateway shares with its calls; fake services answer "nothing found" unless given. */
export function testRuntime(options: TestRuntimeOptions = {}): TestRuntime {
  const now = options.now ?? Date.now;
  const store = options.store ?? new MemoryStore(60_000, now);
  const counters = new FaultTolerantCounters(store, now, options.counters);
  const services: GatewayServices = {
    validateToken: async () => null,
    dpop: new DpopVerifier({
      store,
      encryptionKey: Buffer.alloc(32, 7),
      publicUrl: "http://gatehouse.test",
      config: { iatWindowSeconds: 60, nonceAtTokenEndpoint: true, nonceAtResources: false },
      now,
    }),
    findClient: async () => null,
    findApp: async () => null,
    findAppByOktaClientId: async () => null,
    readIdToken: async () => null,
    oktaIssuer: () => "https://okta.example/oauth2/default",
    oktaKeys: oktaKeySetsByIssuer(),
    productQuota: async () => null,
    virtualPatches: () => [],
    bots: {
      loadedRules: () => null,
      rules: () => Promise.reject(new Error("no bot detector in this test")),
      decide: () => null,
      overThrottle: async () => null,
      observe: () => {},
    } as unknown as GatewayServices["bots"],
    responseCache: new ResponseCache(store, { memoryBytes: 8 * 1024 * 1024, log: silent, now }),
    events: silentGatewayEvents,
    ...options.services,
  };
  return {
    services,
    store: counters,
    clock: { now },
    async close() {
      await counters.close();
      if (!options.store) await store.close();
    },
  };
}

export interface TestCallOptions {
  method?: string;
  /** Path after the proxy's base path, with an optional query string: "/items?q=1". */
  url?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | null;
  /** The authenticated app; null: an anonymous call. */
  appId?: string | null;
  /** The whole identity, instead of one made from `appId`. */
  identity?: CallerIdentity | null;
  productId?: string | null;
  clientIp?: string;
  proxy?: Partial<ProxyDefinition>;
  log?: Logger;
}

/** One call's context on `runtime` (a fresh one when not given). */
export function testContext(options: TestCallOptions = {}, runtime: PolicyRuntime = testRuntime()): PolicyContext {
  const url = new URL(options.url ?? "/", "http://gateway.test");
  const req = new IncomingMessage(new Socket());
  req.method = options.method ?? "GET";
  req.url = url.pathname + url.search;
  const headers: Record<string, string> = { host: "gateway.test", ...lowerKeys(options.headers ?? {}) };
  req.headers = headers;
  req.rawHeaders = Object.entries(headers).flat();
  const appId = options.appId === undefined ? "app-1" : options.appId;
  const identity: CallerIdentity | null =
    options.identity !== undefined
      ? options.identity
      : appId
        ? {
            kind: "gatehouse-token",
            appId,
            developerId: "dev-1",
            clientId: `client-${appId}`,
            credentialId: "cred-1",
            userSub: null,
            scopes: new Set(),
            idTokenRecordId: null,
            tokenId: "tok-1",
          }
        : null;
  const body = options.body === undefined || options.body === null ? null : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, "utf8");
  return {
    requestId: "req-test",
    req,
    method: req.method,
    proxy: {
      id: "proxy-1",
      name: "test",
      basePath: "test",
      version: "v1",
      targetUrl: "http://127.0.0.1:1",
      idTokenMode: "none",
      caseSensitivePaths: false,
      methodOverride: "strip",
      productIds: ["product-1"],
      chain: [],
      ...options.proxy,
    },
    path: url.pathname,
    matchPath: url.pathname.toLowerCase(),
    query: url.searchParams,
    clientIp: options.clientIp ?? "203.0.113.7",
    tls: false,
    startedAt: runtime.clock.now(),
    log: options.log ?? silent,
    body,
    identity,
    productId: options.productId === undefined ? (identity ? "product-1" : null) : options.productId,
    upstreamHeaders: upstreamRequestHeaders(headers, false),
    responseHeaders: {},
    annotations: {},
    state: new Map(),
    services: runtime.services,
    store: runtime.store,
    clock: runtime.clock,
  };
}

/** An app in good standing, approved for product-1. */
export const activeApp = (overrides: Partial<AppStanding> = {}): AppStanding => ({
  appId: "app-1",
  developerId: "dev-1",
  active: true,
  approvedProductIds: ["product-1"],
  approvedScopes: new Set(["a:read"]),
  credentials: new Map(),
  ...overrides,
});

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Removes a Redis test's keys (they expire anyway) with a client that has no key prefix; returns how many. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    return keys.length;
  } finally {
    redis.disconnect();
  }
}
