import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../../store/memory-store.ts";
import { RedisStore } from "../../../store/redis-store.ts";
import type { Store } from "../../../store/types.ts";
import type { CounterOptions } from "../../counters.ts";
import type { GatewayAnswer } from "../../policy.ts";
import type { ProductQuota } from "../../product-quotas.ts";
import { deleteRedisKeys, testContext, testRuntime, type TestCallOptions } from "../../test-context.ts";
import { calendarWindow, quota, QuotaConfig, resolveQuotaRule } from "./quota.ts";

const open: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

function clock(start = Date.UTC(2026, 10, 28, 10, 0, 0)) {
  const c = { now: start, advance: (ms: number) => (c.now += ms), fn: () => c.now };
  return c;
}

/** A gateway counting quota in `store`, with products' quota settings from `products`. */
function gateway(store: Store, options: { products?: Record<string, ProductQuota>; now?: () => number; counters?: CounterOptions } = {}) {
  const runtime = testRuntime({ store, now: options.now, counters: options.counters, services: { productQuota: async (id) => options.products?.[id] ?? null } });
  open.push(runtime);
  return runtime;
}

function setup(config: Record<string, unknown>, options: { store?: Store; products?: Record<string, ProductQuota>; now?: () => number } = {}) {
  const store = options.store ?? new MemoryStore(60_000, options.now);
  open.push(store);
  const runtime = gateway(store, options);
  const parsed = QuotaConfig.parse(config);
  const call = async (callOptions: TestCallOptions = {}) => {
    const c = testContext(callOptions, runtime);
    const answer = (await quota.access!(c, parsed)) as GatewayAnswer | undefined;
    return { call: c, answer, json: answer?.body as Record<string, unknown> | undefined };
  };
  return { store, call };
}

describe("quota configuration", () => {
  it("takes the product's quota over the policy's (Apigee: product settings override)", () => {
    const config = QuotaConfig.parse({ allow: 10, interval: 1, timeUnit: "minute", type: "calendar" });
    expect(resolveQuotaRule(config, { quotaLimit: 500, quotaIntervalSeconds: 3600, quotaWindow: "rolling" })).toMatchObject({ limit: 500, windowMs: 3_600_000, type: "rolling" });
    expect(resolveQuotaRule(config, { quotaLimit: null, quotaIntervalSeconds: null, quotaWindow: "rolling" })).toMatchObject({ limit: 10, windowMs: 60_000, type: "calendar" });
    expect(resolveQuotaRule({ ...config, useProductQuota: false }, { quotaLimit: 500, quotaIntervalSeconds: 3600, quotaWindow: "rolling" })).toMatchObject({ limit: 10 });
    expect(resolveQuotaRule(QuotaConfig.parse({}), null)).toBeNull();
    expect(QuotaConfig.safeParse({ useProductQuota: false }).success).toBe(false);
    expect(QuotaConfig.safeParse({ allow: 0 }).success).toBe(false);
  });

  it("aligns calendar windows to UTC boundaries, weeks on Monday, months by the calendar", () => {
    const at = Date.UTC(2026, 10, 28, 10, 17, 42); // Saturday
    expect(calendarWindow(at, { limit: 1, windowMs: 3_600_000, months: null, type: "calendar" })).toEqual({ start: Date.UTC(2026, 10, 28, 10), end: Date.UTC(2026, 10, 28, 11) });
    expect(calendarWindow(at, { limit: 1, windowMs: 7 * 86_400_000, months: null, type: "calendar" })).toEqual({ start: Date.UTC(2026, 10, 23), end: Date.UTC(2026, 10, 30) });
    expect(calendarWindow(at, { limit: 1, windowMs: 0, months: 1, type: "calendar" })).toEqual({ start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 11, 1) });
    expect(calendarWindow(at, { limit: 1, windowMs: 0, months: 3, type: "calendar" })).toEqual({ start: Date.UTC(2026, 9, 1), end: Date.UTC(2027, 0, 1) });
  });
});

describe("quota, calendar window", () => {
  it("allows N per window per app and product, then 429 with Retry-After and RateLimit headers", async () => {
    const c = clock(Date.UTC(2026, 10, 28, 10, 0, 30));
    const { call, store } = setup({ allow: 3, interval: 1, timeUnit: "minute", type: "calendar" }, { now: c.fn });
    const counter = `quota:product:product-1:app:app-1:${Date.UTC(2026, 10, 28, 10, 0, 0)}`;
    for (let i = 1; i <= 3; i++) {
      const { answer, call: made } = await call();
      expect(answer).toBeUndefined();
      expect(made.responseHeaders["ratelimit-policy"]).toBe('"quota";q=3;w=60');
      expect(made.responseHeaders.ratelimit).toBe(`"quota";r=${3 - i};t=30`);
    }
    const denied = await call();
    expect(denied.answer?.status).toBe(429);
    expect(denied.answer?.headers).toMatchObject({ "retry-after": "30", ratelimit: '"quota";r=0;t=30', "ratelimit-policy": '"quota";q=3;w=60' });
    expect(denied.json).toMatchObject({ status: 429, code: "quota_exceeded", policy: "quota", limit: { name: "quota", value: 3 } });
    await call();
    expect(await store.get(counter)).toBe("3"); // the denied calls were given back
    // another app, and the same app on another product, have their own counters
    expect((await call({ appId: "app-2" })).answer).toBeUndefined();
    expect((await call({ productId: "product-2" })).answer).toBeUndefined();
    // denied calls are not counted: after the window the app has its full quota again
    c.advance(30_000);
    for (let i = 0; i < 3; i++) expect((await call()).answer).toBeUndefined();
    expect((await call()).answer?.status).toBe(429);
  });

  it("counts by client IP when no app is identified, or when configured", async () => {
    const c = clock(); // not the wall clock: an hour boundary between two calls would reset the count
    const { call } = setup({ allow: 1, timeUnit: "hour", type: "calendar", identifier: "client-ip" }, { now: c.fn });
    expect((await call({ appId: "a" })).answer).toBeUndefined();
    expect((await call({ appId: "b" })).answer?.status).toBe(429); // same IP, other app
    expect((await call({ appId: "b", clientIp: "198.51.100.1" })).answer).toBeUndefined();
    const anonymous = setup({ allow: 1, timeUnit: "hour", type: "calendar" }, { now: c.fn });
    expect((await anonymous.call({ appId: null })).answer).toBeUndefined();
    expect((await anonymous.call({ appId: null })).answer?.status).toBe(429);
    expect((await anonymous.call({ appId: null, clientIp: "198.51.100.2" })).answer).toBeUndefined();
  });

  it("uses the product's quota columns", async () => {
    const { call } = setup({ allow: 100 }, { products: { "product-1": { quotaLimit: 2, quotaIntervalSeconds: 60, quotaWindow: "calendar" } }, now: clock().fn });
    expect((await call()).answer).toBeUndefined();
    expect((await call()).call.responseHeaders["ratelimit-policy"]).toBe('"quota";q=2;w=60');
    expect((await call()).answer?.status).toBe(429);
  });

  it("does nothing (no headers) when neither the policy nor the product sets a quota", async () => {
    const { call } = setup({});
    const { answer, call: made } = await call();
    expect(answer).toBeUndefined();
    expect(made.responseHeaders).toEqual({});
  });
});

describe("quota, rolling window", () => {
  it("counts the last interval: the previous window weighs by how much of it is still inside", async () => {
    const c = clock(Date.UTC(2026, 10, 28, 10, 0, 0));
    const { call } = setup({ allow: 10, interval: 1, timeUnit: "minute", type: "rolling" }, { now: c.fn });
    c.advance(50_000);
    for (let i = 0; i < 10; i++) expect((await call()).answer).toBeUndefined();
    expect((await call()).answer?.status).toBe(429);
    c.advance(40_000); // 30 s into the next window: the 10 calls weigh 10 × 0.5 = 5
    for (let i = 0; i < 5; i++) expect((await call()).answer, `call ${i}`).toBeUndefined();
    const denied = await call();
    expect(denied.answer?.status).toBe(429);
    expect(Number(denied.answer?.headers?.["retry-after"])).toBeGreaterThanOrEqual(1);
    c.advance(60_000); // two windows on: the previous window held 5 calls, now weighing 5 × 0.5
    for (let i = 0; i < 7; i++) expect((await call()).answer, `later call ${i}`).toBeUndefined();
    expect((await call()).answer?.status).toBe(429);
  });
});

describe("quota when the store fails (declared: fail open, per instance)", () => {
  const broken: Store = {
    kind: "redis",
    increment: () => Promise.reject(new Error("ECONNREFUSED")),
    incrementFields: () => Promise.reject(new Error("ECONNREFUSED")),
    addDistinct: () => Promise.reject(new Error("ECONNREFUSED")),
    get: () => Promise.reject(new Error("ECONNREFUSED")),
    set: () => Promise.reject(new Error("ECONNREFUSED")),
    delete: () => Promise.reject(new Error("ECONNREFUSED")),
    publish: () => Promise.reject(new Error("ECONNREFUSED")),
    subscribe: () => Promise.reject(new Error("ECONNREFUSED")),
    ping: () => Promise.reject(new Error("ECONNREFUSED")),
    onMessagesMissed: () => () => {},
    close: async () => {},
  };

  it("still enforces the limit on this instance's own counter, annotates the call, and warns once", async () => {
    const lines: string[] = [];
    const log = pino({ level: "warn" }, new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    const runtime = gateway(broken, { counters: { retryAfterFailureMs: 0 } });
    const config = QuotaConfig.parse({ allow: 2, timeUnit: "hour", type: "calendar" });
    const results = [];
    for (let i = 0; i < 3; i++) {
      const made = testContext({ log }, runtime);
      results.push({ answer: (await quota.access!(made, config)) as GatewayAnswer | undefined, made });
    }
    expect(results.map((r) => r.answer?.status ?? 200)).toEqual([200, 200, 429]);
    expect(results.every((r) => r.made.annotations.quotaDegraded === true)).toBe(true);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, policy: "quota" });
  });

  it("never takes a denied call back from the local counter when the shared store counted it (no extra call allowed)", async () => {
    // the shared store counts (quota used up: denied), then stalls before the undo; every later
    // call is counted locally — the undo must not lower the local count below the truth
    const shared = new MemoryStore();
    open.push(shared);
    let stalled = false;
    const flaky: Store = {
      ...broken,
      kind: "redis",
      increment: (key, by, windowMs) =>
        stalled ? Promise.reject(new Error("ETIMEDOUT")) : shared.increment(key, by, windowMs).then((r) => ((stalled = by > 0 && r.count > 2), r)),
    };
    const runtime = gateway(flaky, { counters: { retryAfterFailureMs: 60_000 } });
    const config = QuotaConfig.parse({ allow: 2, timeUnit: "hour", type: "calendar" });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(((await quota.access!(testContext({}, runtime), config)) as GatewayAnswer | undefined)?.status ?? 200);
    // 2 allowed by the shared count, the 3rd denied there; then the store is away and this
    // instance allows its own 2 — never 3
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429, 429, 429]);
  });

  it("answers 503 instead when the policy is not fault tolerant", async () => {
    const answer = (await quota.access!(testContext({}, gateway(broken)), QuotaConfig.parse({ allow: 2, faultTolerant: false }))) as GatewayAnswer;
    expect(answer.status).toBe(503);
    expect((answer.body as { code: string }).code).toBe("quota_unavailable");
  });

  it("fails open fast against an unreachable Redis", async () => {
    const store = new RedisStore("redis://127.0.0.1:1", "x:");
    open.push(store);
    const made = testContext({}, gateway(store, { counters: { timeoutMs: 200 } }));
    const start = Date.now();
    expect(await quota.access!(made, QuotaConfig.parse({ allow: 5 }))).toBeUndefined();
    expect(Date.now() - start).toBeLessThan(1_500);
    expect(made.annotations.quotaDegraded).toBe(true);
    expect(made.responseHeaders.ratelimit).toMatch(/^"quota";r=4;t=\d+$/);
  });
});

describe.runIf(process.env.TEST_REDIS_URL)("quota across instances on Redis", () => {
  it("two instances sharing one Redis quota allow N in total, not 2N", async () => {
    const prefix = `gatehouse-test-${randomBytes(4).toString("hex")}:`;
    const stores = [new RedisStore(process.env.TEST_REDIS_URL!, prefix), new RedisStore(process.env.TEST_REDIS_URL!, prefix)];
    open.push(...stores);
    for (const type of ["calendar", "rolling"] as const) {
      const config = QuotaConfig.parse({ allow: 25, timeUnit: "hour", type });
      // a fixed instant mid-hour: on the wall clock the burst could straddle an hour boundary
      const now = () => Date.UTC(2026, 10, 28, 10, 30);
      const instances = stores.map((store) => gateway(store, { now }));
      const answers = await Promise.all(
        Array.from({ length: 80 }, (_, i) => quota.access!(testContext({ appId: `shared-${type}` }, instances[i % 2]!), config) as Promise<GatewayAnswer | undefined>),
      );
      expect(
        answers.filter((a) => a === undefined),
        type,
      ).toHaveLength(25);
      expect(answers.filter((a) => a?.status === 429)).toHaveLength(55);
    }
    expect(await deleteRedisKeys(process.env.TEST_REDIS_URL!, prefix)).toBeGreaterThan(0);
  });
});
