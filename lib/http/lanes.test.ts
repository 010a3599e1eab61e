import type { Server } from "node:http";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createRequestListener } from "./lanes.ts";
import { createMachineRouter } from "./router.ts";
import { sendJson } from "./responses.ts";
import { listen } from "./test-server.ts";
import { GATEWAY_FACTS, type GatewayFacts, type WithGatewayFacts } from "../log/access-log-line.ts";

const log = pino({ level: "silent" });
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Two lanes where the browser lane records what reached it (it stands where Next.js would). */
async function start() {
  const browserCalls: Array<{ url: string; csp: string | undefined }> = [];
  const router = createMachineRouter(
    { "/oauth/token": { methods: ["POST"], handler: (_req, res) => sendJson(res, 200, { lane: "machine" }) } },
    { "/gateway/**": { methods: ["GET", "POST"], handler: (_req, res, ctx) => sendJson(res, 200, { lane: "machine", path: ctx.pathname }) } },
    { "/healthz": { methods: ["GET"], handler: (_req, res) => sendJson(res, 200, { status: "ok" }) } },
    {
      "/boom": {
        methods: ["GET"],
        handler: async () => {
          throw new Error("secret internals");
        },
      },
    },
  );
  const listener = createRequestListener({
    router,
    log,
    headers: { dev: false, https: false },
    browser: (req, res) => {
      browserCalls.push({ url: req.url!, csp: req.headers["content-security-policy"] as string | undefined });
      res.end("page");
    },
  });
  const started = await listen(listener);
  server = started.server;
  return { url: started.url, browserCalls };
}

describe("lane dispatch", () => {
  it("serves machine routes in plain Node without touching the browser lane", async () => {
    const { url, browserCalls } = await start();
    const token = await fetch(`${url}/oauth/token`, { method: "POST" });
    expect(token.status).toBe(200);
    expect(await token.json()).toEqual({ lane: "machine" });
    expect(token.headers.get("cache-control")).toBe("no-store");
    const gateway = await fetch(`${url}/gateway/orders/v1/items?x=1`);
    expect(await gateway.json()).toEqual({ lane: "machine", path: "/gateway/orders/v1/items" });
    expect(browserCalls).toEqual([]);
  });

  it("hands everything else to the browser lane with a nonce-based CSP", async () => {
    const { url, browserCalls } = await start();
    for (const path of ["/", "/apps", "/oauth/authorize?client_id=x", "/oauth/tokens", "/gatewayx", "/_next/static/a.js"]) {
      const res = await fetch(url + path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe("page");
    }
    expect(browserCalls.map((c) => c.url)).toEqual(["/", "/apps", "/oauth/authorize?client_id=x", "/oauth/tokens", "/gatewayx", "/_next/static/a.js"]);
    const res = await fetch(`${url}/`);
    const csp = res.headers.get("content-security-policy")!;
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(browserCalls.at(-1)!.csp).toContain(`'nonce-${nonce}'`); // Next.js reads it from the request
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const again = await fetch(`${url}/`);
    expect(again.headers.get("content-security-policy")).not.toContain(nonce);
  });

  it("answers 400 for a browser-lane path with a malformed percent-encoding, which never reaches Next.js", async () => {
    const { url, browserCalls } = await start();
    for (const path of ["/apps/a%", "/api/v1/developers/%E0%A4%A", "/%zz"]) {
      const res = await fetch(url + path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await fetch(`${url}/apps/a%20b%2F`)).status).toBe(200); // well-formed escapes pass
    expect(browserCalls.map((c) => c.url)).toEqual(["/apps/a%20b%2F"]);
  });

  it("answers 405 with Allow for a wrong method on a machine route", async () => {
    const { url, browserCalls } = await start();
    const res = await fetch(`${url}/oauth/token`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect((await fetch(`${url}/healthz`, { method: "HEAD" })).status).toBe(200);
    expect(browserCalls).toEqual([]);
  });

  it("refuses TRACE everywhere and over-long URIs", async () => {
    const { url, browserCalls } = await start();
    const { request } = await import("node:http");
    const trace = await new Promise<number>((resolve, reject) => {
      request(`${url}/`, { method: "TRACE" }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on("error", reject)
        .end();
    });
    expect(trace).toBe(405);
    expect((await fetch(`${url}/${"a".repeat(9000)}`)).status).toBe(414);
    expect(browserCalls).toEqual([]);
  });

  it("turns a handler's exception into a 500 without internals", async () => {
    const { url } = await start();
    const res = await fetch(`${url}/boom`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ error: "server_error" });
    expect(body).not.toContain("secret internals");
    expect(body).not.toContain("at ");
  });

  it("propagates a well-formed inbound request id and replaces a malformed one", async () => {
    const { url } = await start();
    const kept = await fetch(`${url}/healthz`, { headers: { "x-request-id": "lb-1234.abc" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-1234.abc");
    const replaced = await fetch(`${url}/healthz`, { headers: { "x-request-id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("access-log lines", () => {
  /** A listener whose shipped lines are collected; /gateway/** answers as the gateway would, its facts on the response. */
  async function startShipping() {
    const lines: Array<Record<string, unknown>> = [];
    const router = createMachineRouter(
      {
        "/gateway/**": {
          methods: ["GET"],
          handler: (_req, res) => {
            const facts: GatewayFacts = {
              call: { proxy: { id: "proxy-1", basePath: "orders", version: "v1" }, identity: { appId: "app-1", kind: "api-key" }, annotations: {}, clientIp: "192.0.2.9" },
              outcome: { upstreamLatencyMs: 3, bytesOut: 0 },
            };
            (res as WithGatewayFacts)[GATEWAY_FACTS] = facts;
            sendJson(res, 200, { ok: true });
          },
        },
      },
      { "/oauth/token": { methods: ["POST"], handler: (_req, res) => sendJson(res, 400, { error: "invalid_request" }) } },
    );
    const listener = createRequestListener({
      router,
      log,
      headers: { dev: false, https: false },
      browser: (_req, res) => void res.end("page"),
      accessLog: { push: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>), close: async () => {} },
    });
    const started = await listen(listener);
    server = started.server;
    return { url: started.url, lines };
  }

  it("writes one line per request with the gateway's facts, without the query, credentials or cookies", async () => {
    const { url, lines } = await startShipping();
    const secrets = ["key-in-query-0123", "bearer-token-4567", "api-key-89ab", "cookie-value-cdef"];
    const headers = {
      authorization: `Bearer ${secrets[1]}`,
      "x-api-key": secrets[2]!,
      cookie: `session=${secrets[3]}`,
      "user-agent": `probe/1 ${"x".repeat(1000)}`,
      // not a trusted proxy's, and tracing is off: no trace id is written
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    };
    await (await fetch(`${url}/gateway/orders/v1/items?key=${secrets[0]}`, { headers })).arrayBuffer();
    await (await fetch(`${url}/oauth/token?client_secret=${secrets[0]}`, { method: "POST", headers })).arrayBuffer();
    await (await fetch(`${url}/apps?x=${secrets[0]}`, { headers })).arrayBuffer();
    for (let waited = 0; lines.length < 3 && waited < 2_000; waited += 10) await new Promise((r) => setTimeout(r, 10)); // `finish` may follow the answer
    expect(lines).toHaveLength(3);
    const [gateway, token, page] = lines as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    expect(gateway).toMatchObject({
      lane: "machine",
      method: "GET",
      path: "/gateway/orders/v1/items",
      route: "/gateway/**",
      status: 200,
      clientAddress: "192.0.2.9",
      gateway: { proxyId: "proxy-1", basePath: "orders", version: "v1", appId: "app-1", authKind: "api-key", upstreamLatencyMs: 3, blockedBy: null, bot: null },
    });
    expect(typeof gateway.requestId).toBe("string");
    expect(gateway.traceId).toBeNull();
    expect(new Date(gateway.time as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((gateway.userAgent as string).length).toBe(256);
    expect(gateway.bytesOut).toBe(JSON.stringify({ ok: true }).length);
    expect(token).toMatchObject({ lane: "machine", path: "/oauth/token", route: "/oauth/token", status: 400, clientAddress: "127.0.0.1", gateway: null });
    expect(page).toMatchObject({ lane: "browser", method: "GET", path: "/apps", route: "page", status: 200, gateway: null });
    const shipped = JSON.stringify(lines);
    for (const secret of secrets) expect(shipped).not.toContain(secret);
  });
});
