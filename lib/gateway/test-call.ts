// For unit tests: a GatewayCall over a fake request, and fake services for the policies.
import type { IncomingMessage } from "node:http";
import pino from "pino";
import type { AppStanding } from "./apps.ts";
import { upstreamRequestHeaders } from "./headers.ts";
import type { GatewayCall, ProxyDefinition } from "./policy.ts";
import { setGatewayServices, type GatewayServices } from "./services.ts";

export function testCall(options: { method?: string; url?: string; headers?: Record<string, string>; proxy?: Partial<ProxyDefinition> } = {}): GatewayCall {
  const url = options.url ?? "/";
  const headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const req = { method: options.method ?? "GET", url: `/gateway/t/v1${url}`, headers, socket: { remoteAddress: "203.0.113.7" } } as unknown as IncomingMessage;
  const queryAt = url.indexOf("?");
  return {
    requestId: "req-1",
    req,
    method: options.method ?? "GET",
    proxy: { id: "proxy-1", name: "T", basePath: "t", version: "v1", targetUrl: "https://up.example", idTokenMode: "none", caseSensitivePaths: false, methodOverride: "strip", productIds: ["prod-a"], chain: [], ...options.proxy },
    path: queryAt === -1 ? url : url.slice(0, queryAt),
    matchPath: (queryAt === -1 ? url : url.slice(0, queryAt)).toLowerCase(),
    query: new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1)),
    clientIp: "203.0.113.7",
    tls: false,
    startedAt: Date.now(),
    log: pino({ level: "silent" }),
    body: null,
    identity: null,
    productId: null,
    upstreamHeaders: upstreamRequestHeaders(headers, false),
    responseHeaders: {},
    annotations: {},
    state: new Map(),
  };
}

export const activeApp = (overrides: Partial<AppStanding> = {}): AppStanding => ({
  appId: "app-1",
  developerId: "dev-1",
  active: true,
  approvedProductIds: ["prod-a"],
  approvedScopes: new Set(["a:read"]),
  ...overrides,
});

export function fakeServices(overrides: Partial<GatewayServices> = {}): GatewayServices {
  const services: GatewayServices = {
    validateToken: async () => null,
    findClient: async () => null,
    findApp: async () => null,
    findAppByOktaClientId: async () => null,
    readIdToken: async () => null,
    oktaIssuer: () => "https://okta.example/oauth2/default",
    ...overrides,
  };
  setGatewayServices(services);
  return services;
}
