// Redis paused (SIGSTOP) and restarted (killed, started again empty) under a
// stream of gateway calls and token validations. Gatehouse runs on a redis-server this test
// starts and owns (never the machine's shared one) and on SQLite. Pass: the process stays up
// and /healthz answers; no unhandled rejection or unhandled error in its output; token checks
// stay right (a cached token keeps working, a token issued meanwhile is checked against the
// database, a token revoked while Redis is away is refused at once); quota follows its declared
// fail-open policy (per-instance counting, still enforcing the limit; 200/429, never 5xx, the
// degraded-counting metric rises); and everything is back (/readyz 200, shared counting)
// within 10 s of Redis returning. Skipped when redis-server is not installed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatehouse, type RunningGatehouse } from "../harness/gatehouse.ts";
import { REDIS_SERVER, startRedis, type OwnedRedis } from "../harness/redis.ts";
import { sample } from "../harness/metrics.ts";
import { apiCaller, seededSessions } from "../harness/portal-setup.ts";
import { BACKEND_HOST, startBackends, type TestBackends } from "../harness/upstreams.ts";

const QUOTA = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(REDIS_SERVER)("Redis paused and restarted under load", () => {
  let redis: OwnedRedis;
  let gatehouse: RunningGatehouse;
  let upstreams: TestBackends;
  let demo: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    upstreams = await startBackends();
    redis = await startRedis();
    gatehouse = await startGatehouse({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: "r4:", GATEWAY_ALLOWED_PRIVATE_TARGETS: BACKEND_HOST });
    demo = JSON.parse(readFileSync(join(gatehouse.dataDir, "demo-app.json"), "utf8"));
    const { admin } = await seededSessions(gatehouse);
    const api = apiCaller(gatehouse);
    const product = await api(admin, "POST", "/products", { slug: "r4", name: "R4", scopes: ["r4:read"], approvalType: "auto" });
    const proxy = await api(admin, "POST", "/proxies", {
      name: "R4 metered",
      basePath: "r4",
      version: "v1",
      targetUrl: `${upstreams.url}/r4`,
      productIds: [product.json.id],
      policies: [{ policy: "allow-anonymous" }, { policy: "quota", config: { allow: QUOTA, interval: 1, timeUnit: "hour", type: "calendar", identifier: "client-ip" } }],
    });
    expect([product.status, proxy.status], proxy.text).toEqual([201, 201]);
  }, 180_000);

  afterAll(async () => {
    await gatehouse?.stop();
    await redis?.kill();
    await upstreams?.close();
  });

  const basic = () => `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}`;
  const form = () => ({ "content-type": "application/x-www-form-urlencoded", authorization: basic() });
  async function newToken(): Promise<string> {
    const res = await fetch(`${gatehouse.url}/oauth/token`, { method: "POST", headers: form(), body: "grant_type=client_credentials&scope=echo:read" });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }
  const echo = async (token: string) => {
    const res = await fetch(`${gatehouse.url}/gateway/echo/v1/r4`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return res.status;
  };
  const metered = async () => {
    const res = await fetch(`${gatehouse.url}/gateway/r4/v1/x`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return res.status;
  };
  const metrics = async () => (await fetch(`${gatehouse.url}/metrics`)).text();
  const degraded = async () => sample(await metrics(), "gatehouse_counter_store_degraded_total");

  /** Echo calls with `token` and metered calls, from 4 workers, until stop() — what each answered. */
  function load(token: string) {
    let running = true;
    const echoStatuses: number[] = [];
    const meteredStatuses: number[] = [];
    const errors: string[] = [];
    const worker = async (i: number) => {
      while (running) {
        try {
          if (i % 2) echoStatuses.push(await echo(token));
          else meteredStatuses.push(await metered());
        } catch (error) {
          errors.push(String(error));
        }
        await sleep(20);
      }
    };
    const workers = Promise.all([0, 1, 2, 3].map(worker));
    return {
      async stop() {
        running = false;
        await workers;
        return { echoStatuses, meteredStatuses, errors };
      },
    };
  }

  /** Waits until Gatehouse is ready and counts in Redis again; returns how long that took. */
  async function recovery(): Promise<number> {
    const started = Date.now();
    for (;;) {
      const ready = (await fetch(`${gatehouse.url}/readyz`)).status === 200;
      if (ready) {
        const before = await degraded();
        await metered();
        await metered();
        if ((await degraded()) === before) return Date.now() - started;
      }
      if (Date.now() - started > 15_000) return Date.now() - started;
      await sleep(100);
    }
  }

  it("pause (SIGSTOP) and restart: no crash, no unhandled rejection, tokens right, quota fails open as declared, back within 10 s", async () => {
    const cached = await newToken();
    const toRevoke = await newToken();
    expect(await echo(cached)).toBe(200);
    expect(await echo(toRevoke)).toBe(200); // both now in the validator's cache
    // the shared quota is used up before the fault
    const before: number[] = [];
    for (let i = 0; i < QUOTA + 2; i++) before.push(await metered());
    expect(before).toEqual([...Array(QUOTA).fill(200), 429, 429]);
    const degradedBefore = await degraded();

    // --- pause ---
    const paused = load(cached);
    await sleep(300);
    redis.pause();
    await sleep(3_000);
    expect((await fetch(`${gatehouse.url}/healthz`, { signal: AbortSignal.timeout(3_000) })).status).toBe(200);
    expect((await fetch(`${gatehouse.url}/readyz`, { signal: AbortSignal.timeout(5_000) })).status).toBe(503);
    // revoked while Redis is away: this instance refuses it at once (its own cache is cleared locally)
    const revoked = await fetch(`${gatehouse.url}/oauth/revoke`, {
      method: "POST",
      headers: form(),
      body: new URLSearchParams({ token: toRevoke }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(revoked.status).toBe(200);
    expect(await echo(toRevoke)).toBe(401);
    // a token not in the cache is checked against the database
    const fresh = await newToken();
    expect(await echo(fresh)).toBe(200);
    const duringPause = await paused.stop();
    const degradedDuringPause = await degraded();
    redis.resume();
    const afterPause = await recovery();

    // --- restart (killed; comes back empty on the same port) ---
    const restarted = load(cached);
    await sleep(300);
    await redis.kill();
    await sleep(2_000);
    expect((await fetch(`${gatehouse.url}/healthz`, { signal: AbortSignal.timeout(3_000) })).status).toBe(200);
    expect(await echo(toRevoke)).toBe(401);
    await redis.restart();
    const afterRestart = await recovery();
    const duringRestart = await restarted.stop();

    // --- verdicts ---
    expect(gatehouse.process.exitCode).toBeNull();
    expect((await fetch(`${gatehouse.url}/healthz`)).status).toBe(200);
    expect(gatehouse.output()).not.toMatch(/unhandled (promise )?rejection|unhandled error|uncaughtException/i);
    for (const phase of [duringPause, duringRestart]) {
      expect(phase.errors).toEqual([]);
      expect(phase.echoStatuses.length).toBeGreaterThan(0);
      expect(
        phase.echoStatuses.every((s) => s === 200),
        JSON.stringify(phase.echoStatuses),
      ).toBe(true); // the cached token keeps working
      expect(
        phase.meteredStatuses.every((s) => s === 200 || s === 429),
        JSON.stringify(phase.meteredStatuses),
      ).toBe(true); // fail open: never 5xx
    }
    // fail open, still enforcing per instance: during the pause at most QUOTA calls (counted
    // locally from zero) got through, although the shared count was used up
    const allowedInPause = duringPause.meteredStatuses.filter((s) => s === 200).length;
    expect(allowedInPause).toBeGreaterThan(0);
    expect(allowedInPause).toBeLessThanOrEqual(QUOTA);
    expect(degradedDuringPause).toBeGreaterThan(degradedBefore);
    expect(sample(await metrics(), "gatehouse_store_failures_total")).toBeGreaterThan(0);
    expect(afterPause).toBeLessThan(10_000);
    expect(afterRestart).toBeLessThan(10_000);
    // after recovery the revoked token stays refused and the cached one works
    expect(await echo(toRevoke)).toBe(401);
    expect(await echo(cached)).toBe(200);
  }, 120_000);
});
