// Two instances sharing PostgreSQL and Redis, one proxy with a quota of N, 2×N
// calls spread over both instances at once → at most N × 1.05 answered 200 (the counter is one
// atomic Redis script, so exactly N is expected), every other call 429 quota_exceeded, the
// upstream reached only by the allowed ones, and neither instance fell back to per-instance
// counting (gatehouse_counter_store_degraded_total). Needs TEST_DATABASE_URL and TEST_REDIS_URL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGatehouse } from "../harness/gatehouse.ts";
import { apiCaller, seededSessions } from "../harness/portal-setup.ts";
import type { TestBackends } from "../harness/upstreams.ts";
import { startTwoInstances, type TwoInstances } from "../harness/two-instances.ts";
import { sample } from "../harness/metrics.ts";

const { TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;
const N = 100;

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)("one quota across two instances sharing PostgreSQL and Redis", () => {
  let instances: TwoInstances;
  let one: RunningGatehouse, two: RunningGatehouse;
  let upstreams: TestBackends;

  beforeAll(async () => {
    instances = await startTwoInstances(TEST_DATABASE_URL!, TEST_REDIS_URL!);
    ({ one, two, upstreams } = instances);
    const { admin } = await seededSessions(one);
    const api = apiCaller(one);
    const product = await api(admin, "POST", "/products", { slug: "r9", name: "R9", scopes: ["r9:read"], approvalType: "auto" });
    expect(product.status, product.text).toBe(201);
    const proxy = await api(admin, "POST", "/proxies", {
      name: "R9 metered",
      basePath: "r9",
      version: "v1",
      targetUrl: `${upstreams.url}/r9`,
      productIds: [product.json.id],
      policies: [{ policy: "allow-anonymous" }, { policy: "quota", config: { allow: N, interval: 1, timeUnit: "hour", type: "rolling", identifier: "client-ip" } }],
    });
    expect(proxy.status, proxy.text).toBe(201);
    // the proxy reaches both instances' gateways through the store's proxy-changes channel
    // (the management API saved it in the Next.js bundle); each probe that finds it uses one call
    for (const instance of [one, two]) {
      const started = Date.now();
      while ((await fetch(`${instance.url}/gateway/r9/v1/probe`)).status === 404 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 50));
    }
  }, 180_000);

  afterAll(async () => {
    await instances?.stop();
  });

  it(`2×${N} concurrent calls over both instances: at most ${N} × 1.05 allowed, the rest 429`, async () => {
    // the probes above used some of the quota: the bounds below count them
    const metricsBefore = await Promise.all([one, two].map(async (g) => (await fetch(`${g.url}/metrics`)).text()));
    const seenBefore = upstreams.seen.filter((r) => r.url.startsWith("/r9/calls")).length;
    expect(seenBefore).toBe(0);
    const answers = await Promise.all(
      Array.from({ length: 2 * N }, async (_, i) => {
        const res = await fetch(`${(i % 2 ? two : one).url}/gateway/r9/v1/calls/${i}`);
        const body = await res.text();
        return { status: res.status, body, instance: i % 2 };
      }),
    );
    const allowed = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    const probesUsed = upstreams.seen.filter((r) => r.url.startsWith("/r9/probe")).length;
    expect(allowed.length + refused.length, JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 429).slice(0, 3))).toBe(2 * N);
    expect(allowed.length).toBeLessThanOrEqual(Math.floor(N * 1.05) - probesUsed);
    expect(allowed.length).toBeGreaterThanOrEqual(Math.floor(N * 0.95) - probesUsed); // the quota is not stricter than declared either
    // both instances served allowed calls and refused some: the limit is shared, not per instance
    expect(new Set(allowed.map((a) => a.instance)).size).toBe(2);
    expect(new Set(refused.map((a) => a.instance)).size).toBe(2);
    expect(refused.every((a) => JSON.parse(a.body).code === "quota_exceeded")).toBe(true);
    expect(upstreams.seen.filter((r) => r.url.startsWith("/r9/calls")).length).toBe(allowed.length);

    const metricsAfter = await Promise.all([one, two].map(async (g) => (await fetch(`${g.url}/metrics`)).text()));
    for (const [i, text] of metricsAfter.entries()) {
      expect(sample(text, "gatehouse_counter_store_degraded_total") - sample(metricsBefore[i]!, "gatehouse_counter_store_degraded_total")).toBe(0);
      expect(sample(text, "gatehouse_store_failures_total")).toBe(0);
    }
    const blocked = metricsAfter.map(
      (t, i) =>
        sample(t, "gatehouse_gateway_calls_total", { proxy: "r9/v1", blocked_by: "quota" }) -
        sample(metricsBefore[i]!, "gatehouse_gateway_calls_total", { proxy: "r9/v1", blocked_by: "quota" }),
    );
    expect(blocked[0]! + blocked[1]!).toBe(refused.length);
  });
});
