// For tests of policies that shape traffic end to end without the whole server: the real
// pipeline and upstream client in front of a real backend (node:http on 127.0.0.1, counting
// and echoing what it got), one proxy whose chain is compiled as the registry would, and a
// test authentication policy ("test-auth": the app named by the X-Test-App header, a caller
// without it is anonymous; an Authorization header is left for the chain to see).
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { compileChain } from "./chain.ts";
import { createGatewayHandler } from "./pipeline.ts";
import { authenticationPolicy, NoConfig, type GatewayPolicy, type ProxyDefinition } from "./policy.ts";
import { POLICIES } from "./policies/index.ts";
import type { RegisteredProxy } from "./registry.ts";
import type { ProxyRegistry } from "./registry.ts";
import { Upstream } from "./upstream.ts";
import { testRuntime, type TestRuntimeOptions } from "./test-context.ts";
import { GATEWAY_FACTS, type GatewayFacts, type WithGatewayFacts } from "../log/access-log-line.ts";

export interface SeenCall {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the backend answers: its status, headers and body for a request (JSON echo by default). */
export type BackendAnswer = (req: http.IncomingMessage, body: string) => { status?: number; headers?: Record<string, string | string[]>; body?: string } | void;

export interface TestBackend {
  url: string;
  seen: SeenCall[];
  answer: BackendAnswer;
  close(): Promise<void>;
}

export async function startBackend(): Promise<TestBackend> {
  const backend: TestBackend = { url: "", seen: [], answer: () => undefined, close: async () => {} };
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req as AsyncIterable<Buffer>) body += chunk.toString("utf8");
    backend.seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    const custom = backend.answer(req, body) ?? {};
    const text = custom.body ?? JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body, n: backend.seen.length });
    res.writeHead(custom.status ?? 200, { "content-type": "application/json", ...custom.headers });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  backend.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  backend.close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return backend;
}

const testAuth = authenticationPolicy({
  name: "test-auth",
  configSchema: NoConfig,
  access(ctx) {
    const app = ctx.req.headers["x-test-app"];
    if (typeof app !== "string") return undefined;
    ctx.identity = {
      kind: "api-key",
      appId: app,
      developerId: `dev-of-${app}`,
      clientId: `client-${app}`,
      credentialId: null,
      userSub: app === "app-user" ? "user-42" : null,
      scopes: new Set(["read", "write"]),
      idTokenRecordId: null,
      tokenId: null,
    };
    ctx.productId = "product-1";
    return undefined;
  },
});

const WITH_TEST_AUTH = new Map<string, GatewayPolicy<unknown>>([...POLICIES, ["test-auth", testAuth as GatewayPolicy<unknown>]]);

export interface TestGateway {
  url: string;
  /** Every analytics event the gateway recorded. */
  events: Array<{ status: number; blockedBy: string | null; upstreamLatencyMs: number | null }>;
  /** What each finished response carried for the access log (a copy taken at `finish`; undefined when nothing). */
  accessLogFacts: Array<GatewayFacts | undefined>;
  close(): Promise<void>;
}

/** A gateway serving /gateway/api/v1/… → `targetUrl` through `policies` (test-auth first). */
export async function startTestGateway(
  targetUrl: string,
  policies: unknown[],
  runtimeOptions: TestRuntimeOptions = {},
  proxyId = "proxy-1",
  options: { accessLog?: boolean } = {},
): Promise<TestGateway> {
  // bot detection (implied in every chain) is another test's subject
  const compiled = compileChain([{ policy: "test-auth" }, { policy: "bot-detection", config: { enabled: false } }, ...policies], { maxRequestBytes: 1024 * 1024 }, WITH_TEST_AUTH);
  if (!compiled.ok) throw new Error(`chain refused: ${JSON.stringify(compiled.issues)}`);
  const target = new URL(targetUrl);
  const definition: ProxyDefinition = {
    id: proxyId,
    name: "test",
    basePath: "api",
    version: "v1",
    targetUrl,
    idTokenMode: "none",
    caseSensitivePaths: false,
    methodOverride: "strip",
    productIds: ["product-1"],
    chain: compiled.chain,
  };
  const proxy: RegisteredProxy = {
    id: proxyId,
    basePath: "api",
    version: "v1",
    definition,
    error: null,
    maxRequestBytes: compiled.maxRequestBytes,
    bodyLimitedBy: compiled.bodyLimitedBy,
    target: { origin: target.origin, pathPrefix: target.pathname.replace(/\/$/, ""), query: "", refused: null, allowPrivate: true, ownServer: false, echo: false },
    upstream: null,
  };
  const prefix = "/gateway/api/v1";
  const registry = {
    matchCached: (pathname: string) => (pathname === prefix || pathname.startsWith(`${prefix}/`) ? { proxy, rest: pathname.slice(prefix.length) || "/" } : null),
    match: async (pathname: string) => registry.matchCached(pathname),
  } as unknown as ProxyRegistry;
  const runtime = testRuntime(runtimeOptions);
  const upstream = new Upstream({ connectTimeoutMs: 1000, headersTimeoutMs: 2000, bodyTimeoutMs: 2000, targetPolicy: { allowedPrivateTargets: [], ownPort: 0, ownTls: false } });
  const events: TestGateway["events"] = [];
  const log = pino({ level: "silent" });
  const handler = createGatewayHandler({
    registry,
    runtime,
    upstream,
    analytics: { record: (e) => void events.push({ status: e.status, blockedBy: e.blockedBy, upstreamLatencyMs: e.upstreamLatencyMs }) },
    upstreamTimeoutMs: 3000,
    maxResponseBytes: 1024 * 1024,
    publicHttps: false,
    publicHost: "gateway.test",
    echoKey: "k",
    accessLog: options.accessLog,
  });
  let n = 0;
  const accessLogFacts: TestGateway["accessLogFacts"] = [];
  const server = http.createServer((req, res) => {
    res.once("finish", () => {
      const facts = (res as WithGatewayFacts)[GATEWAY_FACTS];
      accessLogFacts.push(facts ? copyOfFacts(facts) : undefined);
    });
    void handler(req, res, { requestId: `req-${++n}`, pathname: (req.url ?? "/").split("?")[0]!, log });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    events,
    accessLogFacts,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await upstream.close();
      await runtime.close();
    },
  };
}

/** The facts as the access-log line reads them (the call itself holds the request and more). */
function copyOfFacts({ call, outcome }: GatewayFacts): GatewayFacts {
  return {
    call: {
      proxy: { id: call.proxy.id, basePath: call.proxy.basePath, version: call.proxy.version },
      identity: call.identity && { appId: call.identity.appId, kind: call.identity.kind },
      annotations: { ...call.annotations },
      clientIp: call.clientIp,
    },
    outcome: { upstreamLatencyMs: outcome.upstreamLatencyMs, bytesOut: outcome.bytesOut },
  };
}
