// The machine lane on two worker processes (GATEWAY_WORKERS=2) without Redis: what is shared
// lives in the primary, so a quota of N allows exactly N calls whichever worker takes them, a
// revocation is refused by every worker at once, /metrics adds up both, analytics reach the one
// sink, and a worker killed mid-traffic is replaced while the other worker's calls in flight
// finish. Which worker holds a
// connection is read from /proc (harness/connection-owners.ts), not told by the server.
import http from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";
import { clusterWorkers, connectionOwners } from "../harness/connection-owners.ts";
import { sample } from "../harness/metrics.ts";
import { createDatabaseClient } from "../../lib/db/client.ts";

const N = 40;

interface Answer {
  status: number;
  body: string;
  /** The client side's port: with connectionOwners, which worker took the connection. */
  clientPort: number;
}

describe.runIf(process.platform === "linux")("the machine lane on two worker processes, without Redis", () => {
  let gatehouse: RunningGatehouse;
  let upstreams: TestBackends;
  let admin: Caller;
  let demo: { appId: string; clientId: string; clientSecret: string };
  const workers = () => clusterWorkers(gatehouse.process.pid!);

  /** One call on a connection of its own (agent: false), so the primary's round-robin spreads them. */
  const call = (path: string, headers: Record<string, string> = {}, agent: http.Agent | false = false) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: gatehouse.port, path, headers, agent }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body, clientPort: req.socket!.localPort! }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });

  const token = async () => {
    const res = await fetch(`${gatehouse.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}` },
      body: "grant_type=client_credentials",
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };

  beforeAll(async () => {
    upstreams = await startBackends();
    gatehouse = await startGatehouse({ GATEWAY_WORKERS: "2", GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST });
    expect(workers()).toHaveLength(2);
    demo = JSON.parse(readFileSync(join(gatehouse.dataDir, "demo-app.json"), "utf8"));
    ({ admin } = await seededSessions(gatehouse));
    const api = apiCaller(gatehouse);
    const product = await api(admin, "POST", "/products", { slug: "wk", name: "Workers", scopes: ["wk:read"], approvalType: "auto" });
    expect(product.status, product.text).toBe(201);
    const proxy = await api(admin, "POST", "/proxies", {
      name: "Metered",
      basePath: "wk",
      version: "v1",
      targetUrl: `${upstreams.url}/wk`,
      productIds: [product.json.id],
      policies: [{ policy: "allow-anonymous" }, { policy: "quota", config: { allow: N, interval: 1, timeUnit: "hour", type: "rolling", identifier: "client-ip" } }],
    });
    expect(proxy.status, proxy.text).toBe(201);
    const slow = await api(admin, "POST", "/proxies", {
      name: "Slow",
      basePath: "wk-slow",
      version: "v1",
      targetUrl: `${upstreams.url}/wk-slow`,
      productIds: [product.json.id],
      policies: [{ policy: "allow-anonymous" }],
    });
    expect(slow.status, slow.text).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await gatehouse?.stop();
    await upstreams?.close();
  });

  it(`a quota of ${N}: exactly ${N} calls pass over both workers, the rest are 429, and /metrics counts both`, async () => {
    // the proxy was saved in the portal's thread: it reaches every worker through the primary's store
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    try {
      const answers = await Promise.all(Array.from({ length: 3 * N }, (_, i) => call(`/gateway/wk/v1/calls/${i}`, {}, agent)));
      const owners = connectionOwners(gatehouse.port, workers());
      const allowed = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 429);
      expect(allowed.length, JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 429).slice(0, 2))).toBe(N);
      expect(refused.length).toBe(2 * N);
      expect(refused.every((a) => JSON.parse(a.body).code === "quota_exceeded")).toBe(true);
      expect(upstreams.seen.filter((r) => r.url.startsWith("/wk/calls")).length).toBe(N);
      // both workers took calls, and both refused some: one counter, not one per worker
      expect(new Set(allowed.map((a) => owners.get(a.clientPort))).size).toBe(2);
      expect(new Set(refused.map((a) => owners.get(a.clientPort))).size).toBe(2);
    } finally {
      agent.destroy();
    }
    const metrics = await (await fetch(`${gatehouse.url}/metrics`)).text();
    expect(sample(metrics, "gatehouse_gateway_calls_total", { proxy: "wk/v1", outcome: "2xx" })).toBe(N);
    expect(sample(metrics, "gatehouse_gateway_calls_total", { proxy: "wk/v1", blocked_by: "quota" })).toBe(2 * N);
    expect(sample(metrics, "gatehouse_counter_store_degraded_total")).toBe(0);
    // one analytics sink: every call of both workers is stored once
    const db = createDatabaseClient({ kind: "sqlite", file: join(gatehouse.dataDir, "gatehouse.db") });
    try {
      const stored = () => db.analyticsEvent.count({ where: { path: { startsWith: "/gateway/wk/v1/calls/" } } });
      const deadline = Date.now() + 10_000;
      while ((await stored()) < 3 * N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await stored()).toBe(3 * N);
    } finally {
      await db.$disconnect();
    }
  });

  it("a revoked token is refused by every worker at once", async () => {
    const access = await token();
    const auth = { authorization: `Bearer ${access}` };
    // every worker has validated (and cached) the token
    const warm = await Promise.all(Array.from({ length: 8 }, () => call("/gateway/echo/v1/warm", auth)));
    expect(warm.map((a) => a.status)).toEqual(Array(8).fill(200));
    const revoked = await fetch(`${gatehouse.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}` },
      body: new URLSearchParams({ token: access }).toString(),
    });
    expect(revoked.status).toBe(200);
    // the revoking worker answered only after its change was published; the other hears it
    // through the primary within milliseconds
    await new Promise((r) => setTimeout(r, 100));
    const after = await Promise.all(Array.from({ length: 8 }, () => call("/gateway/echo/v1/after", auth)));
    expect(after.map((a) => a.status)).toEqual(Array(8).fill(401));
  });

  it("an admin's credential revocation (in the portal's thread) reaches both workers", async () => {
    const access = await token();
    const auth = { authorization: `Bearer ${access}` };
    const warm = await Promise.all(Array.from({ length: 8 }, () => call("/gateway/echo/v1/warm", auth)));
    expect(warm.map((a) => a.status)).toEqual(Array(8).fill(200));
    const api = apiCaller(gatehouse);
    const app = await api(admin, "GET", `/apps/${demo.appId}`);
    const credential = (app.json.credentials as Array<{ id: string; clientId: string; status: string }>).find((c) => c.clientId === demo.clientId && c.status === "active")!;
    const revoke = await api(admin, "DELETE", `/apps/${demo.appId}/credentials/${credential.id}`);
    expect(revoke.status, revoke.text).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 100));
    const after = await Promise.all(Array.from({ length: 8 }, () => call("/gateway/echo/v1/after", auth)));
    expect(after.map((a) => a.status)).toEqual(Array(8).fill(401));
  });

  it("a killed worker is replaced; the other worker's calls in flight finish", async () => {
    const before = workers();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 12 });
    try {
      const seenBefore = upstreams.seen.filter((r) => r.url.startsWith("/wk-slow/")).length;
      const inFlight = Array.from({ length: 12 }, (_, i) =>
        call(`/gateway/wk-slow/v1/${i}/slow`, {}, agent).then(
          (answer) => ({ ok: true as const, answer }),
          (error: Error) => ({ ok: false as const, error }),
        ),
      );
      // the backend answers after 800 ms: wait until every call reached it, then kill one worker
      const deadline = Date.now() + 5_000;
      while (upstreams.seen.filter((r) => r.url.startsWith("/wk-slow/")).length < seenBefore + 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const owners = connectionOwners(gatehouse.port, before);
      const victim = before[0]!;
      process.kill(victim, "SIGKILL");
      const results = await Promise.all(inFlight);
      // calls the surviving worker held all finished with 200; only the victim's were cut
      const survivorCalls = results.filter((r) => r.ok && owners.get(r.answer.clientPort) !== victim);
      expect(survivorCalls.length).toBeGreaterThan(0);
      expect(survivorCalls.every((r) => r.ok && r.answer.status === 200)).toBe(true);
      expect(results.filter((r) => !r.ok).length).toBeLessThanOrEqual([...owners.values()].filter((pid) => pid === victim).length);
    } finally {
      agent.destroy();
    }
    // new connections keep being served while the replacement starts (it joins only once it
    // serves, so none meets a 503 "starting"), and it does start
    const during: number[] = [];
    const deadline = Date.now() + 30_000;
    let replacedAt = 0;
    while (Date.now() < deadline && (replacedAt === 0 || Date.now() < replacedAt + 1_500)) {
      const batch = await Promise.all(Array.from({ length: 3 }, (_, i) => call(`/gateway/wk-slow/v1/during-${during.length + i}`)));
      during.push(...batch.map((a) => a.status));
      if (replacedAt === 0 && workers().length === 2 && !workers().includes(before[0]!)) replacedAt = Date.now();
    }
    expect(during.length).toBeGreaterThan(6);
    expect(during.filter((status) => status !== 200)).toEqual([]);
    expect(workers()).toHaveLength(2);
    expect(workers()).not.toContain(before[0]);
  });
});
