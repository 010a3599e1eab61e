// /metrics against the real server: a token request and a gateway call (the demo echo proxy
// with a client-credentials token of the demo app) move their counters, and the endpoint is
// protected — loopback peers only by default, the METRICS_TOKEN bearer when one is configured.
import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { sample } from "../harness/metrics.ts";

const nonLoopbackAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

async function clientCredentialsToken(gatehouse: RunningGatehouse): Promise<string> {
  const demo = JSON.parse(readFileSync(join(gatehouse.dataDir, "demo-app.json"), "utf8")) as { clientId: string; clientSecret: string };
  const res = await fetch(`${gatehouse.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}` },
    body: "grant_type=client_credentials&scope=echo:read",
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe("/metrics", () => {
  let open: RunningGatehouse; // no METRICS_TOKEN, listening on every interface
  let guarded: RunningGatehouse; // METRICS_TOKEN set
  const METRICS_TOKEN = "metrics-test-token-0123456789abcdef";

  beforeAll(async () => {
    [open, guarded] = await Promise.all([startGatehouse({ HOST: "0.0.0.0" }), startGatehouse({ METRICS_TOKEN })]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), guarded?.stop()]);
  });

  it("counts token issuance, gateway calls by proxy/outcome/policy, HTTP requests by lane and route, token-cache lookups", async () => {
    const read = async () => {
      const res = await fetch(`${open.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      expect(res.headers.get("cache-control")).toBe("no-store");
      return res.text();
    };
    const before = await read();
    const token = await clientCredentialsToken(open);
    const ok = await fetch(`${open.url}/gateway/echo/v1/metrics-check`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const again = await fetch(`${open.url}/gateway/echo/v1/metrics-check`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    await again.arrayBuffer();
    const refused = await fetch(`${open.url}/gateway/echo/v1/metrics-check`); // no token: 401 by verify-access-token
    expect(refused.status).toBe(401);
    await refused.arrayBuffer();
    const after = await read();

    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("gatehouse_oauth_tokens_issued_total", { grant: "client_credentials" })).toBe(1);
    expect(delta("gatehouse_gateway_calls_total", { proxy: "echo/v1", outcome: "2xx", blocked_by: "" })).toBe(2);
    expect(delta("gatehouse_gateway_calls_total", { proxy: "echo/v1", outcome: "4xx", blocked_by: "verify-access-token" })).toBe(1);
    expect(delta("gatehouse_gateway_call_duration_seconds_count", { proxy: "echo/v1" })).toBe(3);
    expect(delta("gatehouse_http_requests_total", { lane: "machine", route: "/oauth/token", status: "200" })).toBe(1);
    expect(delta("gatehouse_http_requests_total", { lane: "machine", route: "/gateway/**", status: "200" })).toBe(2);
    expect(delta("gatehouse_http_request_duration_seconds_count", { lane: "machine", route: "/gateway/**" })).toBe(3);
    // the first /metrics read finished before the second was rendered
    expect(delta("gatehouse_http_requests_total", { lane: "machine", route: "/metrics", status: "200" })).toBe(1);
    expect(delta("gatehouse_token_cache_lookups_total", { result: "miss" })).toBeGreaterThanOrEqual(1);
    expect(delta("gatehouse_token_cache_lookups_total", { result: "hit" })).toBeGreaterThanOrEqual(1);
    // the store-failure family is declared even when nothing failed; process metrics are there too
    expect(after).toContain("# TYPE gatehouse_store_failures_total counter");
    expect(after).toContain("gatehouse_process_resident_memory_bytes");
  });

  it("without METRICS_TOKEN refuses peers that are not on the loopback interface (403)", async (ctx) => {
    const address = nonLoopbackAddress();
    if (!address) ctx.skip(); // a machine with loopback only cannot make a non-loopback connection
    const res = await fetch(`http://${address}:${open.port}/metrics`, { headers: { authorization: "Bearer guess" } });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain("gatehouse_");
    expect((await fetch(`http://${address}:${open.port}/healthz`)).status).toBe(200); // the rest still answers
  });

  it("with METRICS_TOKEN wants exactly that bearer token, from loopback too (401 + WWW-Authenticate otherwise)", async () => {
    for (const authorization of [undefined, "Bearer wrong-token", `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString("base64")}`, `Bearer ${METRICS_TOKEN}x`]) {
      const res = await fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(await res.text()).not.toContain("gatehouse_");
    }
    const res = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("# TYPE gatehouse_http_requests_total counter");
  });
});
