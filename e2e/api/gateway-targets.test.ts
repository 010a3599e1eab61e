// Upstream targets against the real server and several real backends: weighted round-robin,
// least-connections, consistent hashing; a target killed under steady traffic is taken out by
// the health checks with no client request failing, and comes back; retries only for
// idempotent methods and only before anything was sent; the retry budget; the circuit breaker;
// settings refused at save with problem JSON naming the field; health in the management API
// and /metrics. Backend hit counts are what each test asserts on.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configuredBackends } from "../harness/backends.ts";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { sample } from "../harness/metrics.ts";
import { apiCaller, seededSessions, type Caller } from "../harness/portal-setup.ts";
import { BACKEND_HOST } from "../harness/upstreams.ts";

interface Backend {
  name: string;
  url: string;
  port: number;
  hits: Array<{ method: string; path: string }>;
  /** Answers wait this long (least-connections). */
  delayMs: number;
  /** Answers this status instead of 200 (circuit breaker). */
  status: number;
  kill(): Promise<void>;
  revive(): Promise<void>;
  close(): Promise<void>;
}

/** A backend on 127.0.0.2 that counts what reaches it, with keep-alive connections. Its port
 * is a listener of its own that hands connections to the HTTP server, so that it can stop
 * listening without closing the connections it has (http.Server.close closes idle ones). */
async function startBackend(name: string): Promise<Backend> {
  const sockets = new Set<net.Socket>();
  let listener: net.Server;
  let dying = false;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      const closing = dying ? { connection: "close" } : {};
      if (path === "/healthz") return void res.writeHead(200, { "content-type": "text/plain", ...closing }).end("ok");
      backend.hits.push({ method: req.method ?? "", path });
      const answer = () => {
        res.writeHead(backend.status, { "content-type": "application/json", "x-backend": name, ...closing });
        res.end(JSON.stringify({ backend: name }));
      };
      if (backend.delayMs) setTimeout(answer, backend.delayMs);
      else answer();
    });
  });
  const backend: Backend = {
    name,
    url: "",
    port: 0,
    hits: [],
    delayMs: 0,
    status: 200,
    /** Dies as a server shutting down does: it stops listening at once (new connections are
     * refused) and closes each open connection after its next answer (Connection: close). It
     * never cuts a connection the gateway may be writing a request on: such a request may have
     * reached the backend, and the gateway never sends one of those elsewhere (the
     * connection-reset test shows what happens to it). */
    async kill() {
      dying = true;
      listener.close();
    },
    async revive() {
      dying = false;
      await listen(backend.port);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      listener.close();
      server.close();
    },
  };
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      listener = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        server.emit("connection", socket);
      });
      listener.once("error", reject);
      listener.listen(port, BACKEND_HOST, () => {
        backend.port = (listener.address() as net.AddressInfo).port;
        backend.url = `http://${BACKEND_HOST}:${backend.port}`;
        resolve();
      });
    });
  await listen(0);
  return backend;
}

/** A port on 127.0.0.2 where nothing listens: connections are refused. */
async function closedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, BACKEND_HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://${BACKEND_HOST}:${port}`;
}

const count = (b: Backend, method?: string) => b.hits.filter((h) => !method || h.method === method).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(configuredBackends())("upstream targets on $name", (storage) => {
  let gatehouse: RunningGatehouse;
  let cleanup: () => Promise<void>;
  let api: ReturnType<typeof apiCaller>;
  let admin: Caller;
  const backends: Backend[] = [];
  let productId: string;

  const backend = async (name: string) => {
    const b = await startBackend(name);
    backends.push(b);
    return b;
  };
  async function proxy(basePath: string, upstream: Record<string, unknown>): Promise<string> {
    const targets = upstream.targets as Array<{ url: string }>;
    const res = await api(admin, "POST", "/proxies", {
      name: basePath,
      basePath,
      targetUrl: targets[0]!.url,
      productIds: [productId],
      policies: [{ policy: "allow-anonymous" }],
      upstream,
    });
    expect(res.status, res.text).toBe(201);
    // the gateway hears of the new proxy through the event bus (Redis, or the thread bus)
    for (let i = 0; i < 100; i++) {
      const probe = await call(basePath, { method: "OPTIONS" });
      await probe.arrayBuffer();
      if (probe.status !== 404) break;
      await sleep(50);
    }
    for (const b of backends) b.hits.length = 0;
    return res.json.id as string;
  }
  const call = (basePath: string, init: RequestInit = {}) => fetch(`${gatehouse.url}/gateway/${basePath}/v1/items`, init);
  /** `n` calls, `concurrency` at a time; their statuses. */
  async function calls(n: number, concurrency: number, one: (i: number) => Promise<Response>): Promise<number[]> {
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          const res = await one(next++);
          await res.arrayBuffer();
          statuses.push(res.status);
        }
      }),
    );
    return statuses;
  }
  async function health(proxyId: string) {
    const res = await api(admin, "GET", `/proxies/${proxyId}/targets/health`);
    expect(res.status, res.text).toBe(200);
    return res.json.gateways[0]?.targets as Array<{ url: string; health: string; circuit: string | null; failuresTotal: number; activeConnections: number }>;
  }

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ env, cleanup } = await storage.provision());
    gatehouse = await startGatehouse({ ...env, GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST, GATEWAY_CONNECT_TIMEOUT_MS: "1000", GATEWAY_UPSTREAM_TIMEOUT_MS: "5000" });
    api = apiCaller(gatehouse);
    ({ admin } = await seededSessions(gatehouse));
    const product = await api(admin, "POST", "/products", { slug: "targets", name: "Targets", scopes: [], approvalType: "auto" });
    expect(product.status, product.text).toBe(201);
    productId = product.json.id;
  });
  afterAll(async () => {
    await gatehouse?.stop();
    await Promise.all(backends.map((b) => b.close().catch(() => {})));
    await cleanup?.();
  });

  it("spreads calls by weight (3:1 over 400 calls)", async () => {
    const [a, b] = [await backend("a"), await backend("b")];
    await proxy("rr", {
      targets: [
        { url: a.url, weight: 300 },
        { url: b.url, weight: 100 },
      ],
    });
    const statuses = await calls(400, 8, () => call("rr"));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(count(a)).toBeGreaterThanOrEqual(285);
    expect(count(a)).toBeLessThanOrEqual(315);
    expect(count(a) + count(b)).toBe(400);
  });

  it("least-connections sends more to the target that answers faster", async () => {
    const [slow, fast] = [await backend("slow"), await backend("fast")];
    slow.delayMs = 150;
    fast.delayMs = 5;
    await proxy("least", { algorithm: "least-connections", targets: [{ url: slow.url }, { url: fast.url }] });
    const statuses = await calls(80, 6, () => call("least"));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(count(fast)).toBeGreaterThan(count(slow) * 3);
  });

  it("consistent hash keeps each key on one target, and keys spread over the targets", async () => {
    const set = [await backend("h1"), await backend("h2"), await backend("h3")];
    await proxy("hash", { algorithm: "consistent-hash", hashOn: { header: "X-User" }, targets: set.map((b) => ({ url: b.url })) });
    const where = new Map<string, Set<string>>();
    for (let key = 0; key < 24; key++) {
      for (let i = 0; i < 4; i++) {
        const res = await call("hash", { headers: { "x-user": `user-${key}` } });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        const seen = where.get(`user-${key}`) ?? new Set();
        seen.add(res.headers.get("x-backend")!);
        where.set(`user-${key}`, seen);
      }
    }
    for (const seen of where.values()) expect(seen.size).toBe(1);
    expect(new Set([...where.values()].map((s) => [...s][0])).size).toBeGreaterThan(1);
  });

  it("a killed target is taken out within the health-check bound with no failed request, and comes back", async () => {
    const set = [await backend("k1"), await backend("k2"), await backend("k3")];
    const active = { path: "/healthz", intervalMs: 200, timeoutMs: 150, healthyThreshold: 2, unhealthyThreshold: 2 };
    const id = await proxy("kill", {
      targets: set.map((b) => ({ url: b.url })),
      healthCheck: { active, passive: { unhealthyFailures: 2, unhealthyTimeouts: 1, cooldownMs: 60_000 } },
      retries: { attempts: 2, budgetPercent: 50 },
    });
    const victim = set[2]!;
    const failures: number[] = [];
    let driving = true;
    const traffic = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (driving) {
          const res = await call("kill");
          await res.arrayBuffer();
          if (res.status !== 200) failures.push(res.status);
        }
      }),
    );
    await sleep(500);
    expect(count(victim)).toBeGreaterThan(0);
    await victim.kill();
    const killedAt = Date.now();
    // bound: unhealthyThreshold checks, one interval apart, each up to timeoutMs — and slack for a busy machine
    const bound = active.unhealthyThreshold * active.intervalMs + active.timeoutMs + 1_000;
    let outAfter = Infinity;
    while (Date.now() - killedAt < bound + 2_000) {
      const view = await health(id);
      if (view.find((t) => t.url === victim.url)!.health === "unhealthy") {
        outAfter = Date.now() - killedAt;
        break;
      }
      await sleep(50);
    }
    expect(outAfter).toBeLessThanOrEqual(bound);
    const hitsWhileDead = count(victim);
    await sleep(600);
    expect(count(victim)).toBe(hitsWhileDead);

    await victim.revive();
    const revivedAt = Date.now();
    while (Date.now() - revivedAt < 5_000 && count(victim) === hitsWhileDead) await sleep(50);
    driving = false;
    await traffic;
    expect(count(victim)).toBeGreaterThan(hitsWhileDead); // back in
    expect((await health(id)).every((t) => t.health === "healthy")).toBe(true);
    expect(
      failures,
      gatehouse
        .output()
        .split("\n")
        .filter((line) => line.includes("upstream"))
        .slice(-5)
        .join("\n"),
    ).toEqual([]);
  });

  it("retries a GET refused by a dead target on another one; never retries a POST", async () => {
    const live = await backend("live");
    const dead = await closedUrl();
    await proxy("retry", { targets: [{ url: dead }, { url: live.url }], retries: { attempts: 2, budgetPercent: 100 } });
    const gets = await calls(10, 1, () => call("retry"));
    expect(gets).toEqual(Array(10).fill(200));
    expect(count(live, "GET")).toBe(10);

    const posts = await calls(10, 1, () => call("retry", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    const ok = posts.filter((s) => s === 200).length;
    expect(posts.filter((s) => s === 503).length).toBe(10 - ok); // the dead target's turns: refused, not retried
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(10);
    expect(count(live, "POST")).toBe(ok);
  });

  it("never retries a request that reached a target that then failed (connection reset)", async () => {
    const live = await backend("after-reset");
    let resets = 0;
    const resetting = http.createServer((req) => {
      resets++;
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => resetting.listen(0, BACKEND_HOST, resolve));
    const resetUrl = `http://${BACKEND_HOST}:${(resetting.address() as net.AddressInfo).port}`;
    try {
      await proxy("reset", { targets: [{ url: resetUrl }, { url: live.url }], retries: { attempts: 2, budgetPercent: 100 } });
      resets = 0; // the readiness probe's
      const statuses = await calls(6, 1, () => call("reset"));
      expect(statuses.filter((s) => s === 502).length).toBe(resets);
      expect(resets).toBeGreaterThan(0);
      expect(count(live)).toBe(6 - resets);
    } finally {
      resetting.closeAllConnections();
      await new Promise((resolve) => resetting.close(resolve));
    }
  });

  it("the retry budget caps retries when every target fails", async () => {
    const dead = [await closedUrl(), await closedUrl(), await closedUrl()];
    const id = await proxy("budget", { targets: dead.map((url) => ({ url })), retries: { attempts: 2, budgetPercent: 10 } });
    const statuses = await calls(200, 4, () => call("budget"));
    expect(statuses.filter((s) => s !== 503)).toEqual([]);
    // every try is a refused connection the gateway counts against its target
    const tries = (await health(id)).reduce((sum, t) => sum + t.failuresTotal, 0);
    expect(tries, JSON.stringify(await health(id))).toBeGreaterThanOrEqual(200);
    // 10% of 201 calls (the readiness probe is one) = 20, floor 3/s over 10 s = 30; without a budget: 603
    expect(tries).toBeLessThanOrEqual(201 + 30);
  });

  it("the circuit opens after N failures, refuses at once while open, half-opens after openMs and closes on a good probe", async () => {
    const flaky = await backend("flaky");
    const id = await proxy("circuit", { targets: [{ url: flaky.url }], circuitBreaker: { failureThreshold: 3, openMs: 400, halfOpenProbes: 1 } });
    flaky.status = 503;
    expect(await calls(3, 1, () => call("circuit"))).toEqual([503, 503, 503]);
    expect(count(flaky)).toBe(3);
    const refused = await call("circuit");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await refused.json()).code).toBe("no_healthy_upstream");
    expect(count(flaky)).toBe(3); // the open circuit kept it from the backend
    expect((await health(id))[0]).toMatchObject({ health: "unhealthy", circuit: "open" });

    await sleep(450);
    expect((await health(id))[0]!.circuit).toBe("half-open");
    flaky.status = 200;
    const probe = await call("circuit");
    expect(probe.status).toBe(200);
    expect(count(flaky)).toBe(4);
    expect((await health(id))[0]).toMatchObject({ health: "healthy", circuit: "closed" });

    const metrics = await (await fetch(`${gatehouse.url}/metrics`)).text();
    expect(sample(metrics, "gatehouse_upstream_target_healthy", { proxy: "circuit/v1", target: flaky.url })).toBe(1);
    expect(sample(metrics, "gatehouse_upstream_target_circuit_state", { proxy: "circuit/v1", target: flaky.url, state: "closed" })).toBe(1);
    expect(sample(metrics, "gatehouse_upstream_target_failures", { proxy: "circuit/v1", target: flaky.url })).toBe(3);
  });

  it("the admin console edits targets and settings with a native form and shows their health", async () => {
    const [a, b] = [await backend("form-a"), await backend("form-b")];
    const created = await api(admin, "POST", "/proxies", { name: "Form", basePath: "form", targetUrl: a.url, productIds: [productId], policies: [{ policy: "allow-anonymous" }] });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const form = new URLSearchParams([
      ["targetUrl", a.url],
      ["targetWeight", "1"],
      ["targetUrl", b.url],
      ["targetWeight", "3"],
      ["targetUrl", ""],
      ["targetWeight", "100"],
      ["algorithm", "round-robin"],
      ["hashOn", ""],
      ["activeOn", "on"],
      ["activePath", "/healthz"],
      ["activeIntervalMs", "1000"],
      ["activeTimeoutMs", "500"],
      ["activeHealthyThreshold", "1"],
      ["activeUnhealthyThreshold", "2"],
      ["activeExpectStatus", ""],
      ["retriesOn", "on"],
      ["retryAttempts", "1"],
      ["retryBudgetPercent", "20"],
      ["retryPerTryMs", ""],
    ]);
    const post = (body: URLSearchParams) =>
      fetch(`${gatehouse.url}/admin/proxies/${id}/upstream`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: admin.cookie!, origin: gatehouse.url, "content-type": "application/x-www-form-urlencoded" },
        body,
      });
    const saved = await post(form);
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toContain(`/admin/proxies/${id}?status=`);
    const proxyNow = (await api(admin, "GET", `/proxies/${id}`)).json;
    expect(proxyNow.targetUrl).toBe(a.url);
    expect(proxyNow.upstream).toMatchObject({
      targets: [
        { url: a.url, weight: 1 },
        { url: b.url, weight: 3 },
      ],
      algorithm: "round-robin",
      healthCheck: { active: { path: "/healthz", intervalMs: 1000, timeoutMs: 500 } },
      retries: { attempts: 1, budgetPercent: 20 },
    });
    const bad = new URLSearchParams(form);
    bad.set("activeTimeoutMs", "5000");
    const refused = await post(bad);
    expect(refused.status).toBe(303);
    expect(decodeURIComponent(refused.headers.get("location")!)).toContain("error=");

    for (let i = 0; i < 100 && !(await health(id))?.length; i++) await sleep(50);
    const page = await fetch(`${gatehouse.url}/admin/proxies/${id}`, { headers: { cookie: admin.cookie! } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('aria-label="Upstream targets"');
    expect(html).toContain(b.url);
    expect(html).toContain('data-testid="target-health"');
  });

  it("refuses invalid settings at save with problem JSON naming the field", async () => {
    const a = await backend("valid");
    const save = (upstream: unknown, extra: Record<string, unknown> = {}) =>
      api(admin, "POST", "/proxies", { name: "Bad", basePath: "bad", targetUrl: a.url, productIds: [productId], upstream, ...extra });
    const cases: Array<[unknown, string]> = [
      [{ algorithm: "consistent-hash" }, "upstream.hashOn"],
      [{ targets: [{ url: a.url }, { url: "http://169.254.169.254/latest" }] }, "upstream.targets.1.url"],
      [{ targets: [{ url: a.url, weight: 5000 }] }, "upstream.targets.0.weight"],
      [{ healthCheck: { active: { intervalMs: 10 } } }, "upstream.healthCheck.active.intervalMs"],
      [{ retries: { attempts: 2, budgetPercent: 300 } }, "upstream.retries.budgetPercent"],
    ];
    for (const [upstream, field] of cases) {
      const res = await save(upstream);
      expect(res.status, JSON.stringify(upstream)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(Object.keys(res.json.fields)).toContain(field);
    }
    const mismatch = await save({ targets: [{ url: "http://127.0.0.2:1/" }] }, { targetUrl: a.url });
    expect(mismatch.status).toBe(400);
    expect(Object.keys(mismatch.json.fields)).toContain("upstream.targets.0.url");

    // a proxy saved with targetUrl alone keeps working as before, and PATCHing targetUrl moves the first target
    const plain = await api(admin, "POST", "/proxies", { name: "Plain", basePath: "plain", targetUrl: a.url, productIds: [productId], policies: [{ policy: "allow-anonymous" }] });
    expect(plain.status).toBe(201);
    expect((await call("plain")).status).toBe(200);
    expect((await health(plain.json.id)) ?? []).toEqual([]);
  });
});
