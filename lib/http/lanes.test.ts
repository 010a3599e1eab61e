import type { Server } from "node:http";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createRequestListener } from "./lanes.ts";
import { createMachineRouter } from "./router.ts";
import { sendJson } from "./responses.ts";
import { listen } from "./test-server.ts";

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
