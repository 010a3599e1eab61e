// Behind a load balancer: with TRUSTED_PROXIES naming it, the client's address comes from
// X-Forwarded-For (read from the right, trusted hops skipped), so quota per address counts each
// client, not the balancer; without it X-Forwarded-For is ignored. Checked through a real
// server: quota answers, the analytics events' clientIp, and what the backend is told.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../harness/portal-setup.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";

const QUOTA = 3;

async function withMeteredProxy(gatehouse: RunningGatehouse, upstreams: TestBackends): Promise<void> {
  const { admin } = await seededSessions(gatehouse);
  const api = apiCaller(gatehouse);
  const proxy = await api(admin, "POST", "/proxies", {
    name: "Per address",
    basePath: "per-address",
    version: "v1",
    targetUrl: `${upstreams.url}/per-address`,
    policies: [{ policy: "allow-anonymous" }, { policy: "quota", config: { allow: QUOTA, interval: 1, timeUnit: "hour", type: "calendar", identifier: "client-ip" } }],
  });
  expect(proxy.status, proxy.text).toBe(201);
  const open = await api(admin, "POST", "/proxies", {
    name: "Open",
    basePath: "open",
    version: "v1",
    targetUrl: `${upstreams.url}/open`,
    policies: [{ policy: "allow-anonymous" }],
  });
  expect(open.status, open.text).toBe(201);
}

const call = (gatehouse: RunningGatehouse, forwardedFor: string) => fetch(`${gatehouse.url}/gateway/per-address/v1/x`, { headers: { "x-forwarded-for": forwardedFor } });

async function statuses(gatehouse: RunningGatehouse, forwardedFor: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(gatehouse, forwardedFor)).status);
  return out;
}

describe("client addresses behind a trusted proxy (TRUSTED_PROXIES)", () => {
  let upstreams: TestBackends;
  let trusting: RunningGatehouse;
  let plain: RunningGatehouse;

  beforeAll(async () => {
    upstreams = await startBackends();
    [trusting, plain] = await Promise.all([
      startGatehouse({ TRUSTED_PROXIES: "127.0.0.1", GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST }),
      startGatehouse({ GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST }),
    ]);
    await Promise.all([withMeteredProxy(trusting, upstreams), withMeteredProxy(plain, upstreams)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([trusting?.stop(), plain?.stop()]);
    await upstreams?.close();
  });

  it("counts each forwarded client on its own; a forged left-most entry changes nothing", async () => {
    expect(await statuses(trusting, "198.51.100.1", QUOTA + 1)).toEqual([200, 200, 200, 429]);
    // another client behind the same balancer has its own quota
    expect(await statuses(trusting, "198.51.100.2", QUOTA)).toEqual([200, 200, 200]);
    // the caller wrote "203.0.113.50" itself; the balancer appended the real address
    expect(await statuses(trusting, "203.0.113.50, 198.51.100.1", 1)).toEqual([429]);
    // the backend gets the chain with the hop Gatehouse heard from appended (RFC 7239 §5.2 style)
    const seen = (await (await call(trusting, "198.51.100.3")).json()) as { headers: Record<string, string> };
    expect(seen.headers["x-forwarded-for"]).toBe("198.51.100.3, 127.0.0.1");
  });

  it("ignores X-Forwarded-For when no proxy is trusted: every caller is the TCP peer", async () => {
    expect(await statuses(plain, "198.51.100.1", QUOTA)).toEqual([200, 200, 200]);
    expect(await statuses(plain, "198.51.100.2", 1)).toEqual([429]);
  });

  const forwarding = {
    // trace context (tracing is off on both servers)
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    tracestate: "lb=1",
    b3: "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1",
    "x-forwarded-for": "198.51.100.9",
    "true-client-ip": "198.51.100.9",
    forwarded: "for=198.51.100.9",
    "x-forwarded-host": "evil.example",
    "x-forwarded-prefix": "/p",
  };
  const seenHeaders = async (gatehouse: RunningGatehouse) =>
    ((await (await fetch(`${gatehouse.url}/gateway/open/v1/headers`, { headers: forwarding })).json()) as { headers: Record<string, string> }).headers;

  it("believes a trusted proxy's forwarding headers, and states its own view on top", async () => {
    const headers = await seenHeaders(trusting);
    expect(headers["true-client-ip"]).toBe("198.51.100.9");
    expect(headers["x-forwarded-prefix"]).toBe("/p");
    expect(headers["x-real-ip"]).toBe("198.51.100.9");
    expect(headers["forwarded"]).toBe(`for=198.51.100.9, for=127.0.0.1;host="${new URL(trusting.url).host}";proto=http`);
    expect(headers["x-forwarded-host"]).toBe(new URL(trusting.url).host); // the public host, not what a caller wrote
    // with tracing off, a trusted proxy's trace context reaches the backend as it sent it
    expect([headers.traceparent, headers.tracestate, headers.b3]).toEqual([forwarding.traceparent, forwarding.tracestate, forwarding.b3]);
  });

  it("removes forwarding headers an untrusted caller wrote, and replaces them with its own view", async () => {
    const headers = await seenHeaders(plain);
    expect(headers["true-client-ip"]).toBeUndefined();
    expect(headers["x-forwarded-prefix"]).toBeUndefined();
    expect(headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(headers["x-real-ip"]).toBe("127.0.0.1");
    expect(headers["forwarded"]).toBe(`for=127.0.0.1;host="${new URL(plain.url).host}";proto=http`);
    expect(headers["x-forwarded-host"]).toBe(new URL(plain.url).host);
    // a caller's trace context would choose the trace the backend records
    expect([headers.traceparent, headers.tracestate, headers.b3]).toEqual([undefined, undefined, undefined]);
  });
});
