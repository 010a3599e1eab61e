// For unit tests of protection policies: a GatewayCall built by hand, as the pipeline would
// hand it to a policy (identity and product set as an authentication policy would set them).
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import type { CallerIdentity, GatewayCall, ProxyDefinition } from "../../policy.ts";

const silent = pino({ level: "silent" });

export interface TestCallOptions {
  method?: string;
  /** Path after the proxy's base path, with an optional query string: "/items?q=1". */
  url?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | null;
  appId?: string | null;
  productId?: string | null;
  clientIp?: string;
  proxy?: Partial<ProxyDefinition>;
}

export function testCall(options: TestCallOptions = {}): GatewayCall {
  const url = new URL(options.url ?? "/", "http://gateway.test");
  const req = new IncomingMessage(new Socket());
  req.method = options.method ?? "GET";
  req.url = url.pathname + url.search;
  const headers: Record<string, string> = { host: "gateway.test", ...lowerKeys(options.headers ?? {}) };
  req.headers = headers;
  req.rawHeaders = Object.entries(headers).flat();
  const appId = options.appId === undefined ? "app-1" : options.appId;
  const identity: CallerIdentity | null = appId
    ? { kind: "gatehouse-token", appId, developerId: "dev-1", clientId: `client-${appId}`, credentialId: "cred-1", userSub: null, scopes: new Set(), idTokenRecordId: null, tokenId: "tok-1" }
    : null;
  const body = options.body === undefined || options.body === null ? null : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, "utf8");
  return {
    requestId: "req-test",
    req,
    method: req.method,
    proxy: { id: "proxy-1", name: "test", basePath: "test", version: "v1", targetUrl: "http://127.0.0.1:1", idTokenMode: "none", caseSensitivePaths: false, methodOverride: "strip", productIds: ["product-1"], chain: [], ...options.proxy },
    path: url.pathname,
    matchPath: url.pathname.toLowerCase(),
    query: url.searchParams,
    clientIp: options.clientIp ?? "203.0.113.7",
    tls: false,
    startedAt: Date.now(),
    log: silent,
    body,
    identity,
    productId: options.productId === undefined ? (appId ? "product-1" : null) : options.productId,
    upstreamHeaders: { ...headers },
    responseHeaders: {},
    annotations: {},
    state: new Map(),
  };
}

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
