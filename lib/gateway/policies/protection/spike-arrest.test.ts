import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../../../store/memory-store.ts";
import { RedisStore } from "../../../store/redis-store.ts";
import type { Store } from "../../../store/types.ts";
import type { GatewayAnswer } from "../../policy.ts";
import { deleteRedisKeys, testContext, testRuntime, type TestCallOptions } from "../../test-context.ts";
import { spikeArrest, SpikeArrestConfig, spikeWindow } from "./spike-arrest.ts";

const open: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

function setup(config: Record<string, unknown>, options: { store?: Store; now?: () => number } = {}) {
  const store = options.store ?? new MemoryStore(60_000, options.now);
  open.push(store);
  const runtime = testRuntime({ store, now: options.now });
  open.push(runtime);
  const parsed = SpikeArrestConfig.parse(config);
  return async (callOptions: TestCallOptions = {}) => {
    const made = testContext(callOptions, runtime);
    const answer = (await spikeArrest.access!(made, parsed)) as GatewayAnswer | undefined;
    return { made, answer };
  };
}

describe("spike-arrest", () => {
  it("smooths a rate into intervals (Apigee): 10ps and 600pm are both one call per 100 ms", () => {
    expect(spikeWindow("10ps", false)).toEqual({ bucketMs: 100, allowed: 1 });
    expect(spikeWindow("600pm", false)).toEqual({ bucketMs: 100, allowed: 1 });
    expect(spikeWindow("1pm", false)).toEqual({ bucketMs: 60_000, allowed: 1 });
    expect(spikeWindow("5000ps", false)).toEqual({ bucketMs: 1, allowed: 5 });
    expect(spikeWindow("10ps", true)).toEqual({ bucketMs: 1_000, allowed: 10 });
    for (const rate of ["10", "0ps", "10pd", "ps", " 10ps", "10PS"]) expect(SpikeArrestConfig.safeParse({ rate }).success, rate).toBe(false);
  });

  it("allows one call per interval and refuses the second with 429 and Retry-After", async () => {
    let now = 1_000_000;
    const call = setup({ rate: "10ps" }, { now: () => now });
    expect((await call()).answer).toBeUndefined();
    now += 50;
    const denied = await call();
    expect(denied.answer?.status).toBe(429);
    expect(denied.answer?.headers?.["retry-after"]).toBe("1");
    expect(denied.answer?.body).toMatchObject({ code: "spike_arrest_violation", policy: "spike-arrest", limit: { name: "rate", value: 10 } });
    now += 50; // the next 100 ms interval
    expect((await call()).answer).toBeUndefined();
    // 10 calls spread over one second pass; 10 calls at once do not
    const results = [];
    for (let i = 0; i < 10; i++) {
      now += 100;
      results.push((await call()).answer);
    }
    expect(results.every((a) => a === undefined)).toBe(true);
    now += 100;
    const burst = await Promise.all(Array.from({ length: 10 }, () => call()));
    expect(burst.filter((r) => r.answer === undefined)).toHaveLength(1);
  });

  it("with useEffectiveCount allows bursts within the second", async () => {
    let now = 2_000_000;
    const call = setup({ rate: "10ps", useEffectiveCount: true }, { now: () => now });
    const burst = await Promise.all(Array.from({ length: 12 }, () => call()));
    expect(burst.filter((r) => r.answer === undefined)).toHaveLength(10);
    now += 1_000;
    expect((await call()).answer).toBeUndefined();
  });

  it("counts per app, or per client IP", async () => {
    let now = 3_000_000;
    const byApp = setup({ rate: "1ps" }, { now: () => now });
    expect((await byApp({ appId: "a" })).answer).toBeUndefined();
    expect((await byApp({ appId: "b" })).answer).toBeUndefined();
    expect((await byApp({ appId: "a" })).answer?.status).toBe(429);
    const byIp = setup({ rate: "1ps", identifier: "client-ip" }, { now: () => now });
    expect((await byIp({ appId: "a" })).answer).toBeUndefined();
    expect((await byIp({ appId: "b" })).answer?.status).toBe(429);
    expect((await byIp({ appId: "b", clientIp: "198.51.100.9" })).answer).toBeUndefined();
    now += 1_000;
    expect((await byApp({ appId: "a" })).answer).toBeUndefined();
  });

  it("fails open per instance when the store is down, annotating the call", async () => {
    const down = new RedisStore("redis://127.0.0.1:1", "x:");
    const call = setup({ rate: "1pm" }, { store: down });
    const first = await call();
    expect(first.answer).toBeUndefined();
    expect(first.made.annotations.quotaDegraded).toBe(true);
    expect((await call()).answer?.status).toBe(429); // the local counter still arrests the spike
  });
});

describe.runIf(process.env.TEST_REDIS_URL)("spike-arrest across instances on Redis", () => {
  it("two instances share one interval: a concurrent burst gets one call through", async () => {
    const prefix = `gatehouse-test-${randomBytes(4).toString("hex")}:`;
    // one fixed instant: on the wall clock a slow burst could straddle a minute, the next interval
    const now = () => 4_000_030_000;
    const calls = [0, 1].map(() => setup({ rate: "1pm" }, { store: new RedisStore(process.env.TEST_REDIS_URL!, prefix), now }));
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => calls[i % 2]!({ appId: "shared" })));
    expect(burst.filter((r) => r.answer === undefined)).toHaveLength(1);
    expect(burst.filter((r) => r.answer?.status === 429)).toHaveLength(19);
    expect(await deleteRedisKeys(process.env.TEST_REDIS_URL!, prefix)).toBeGreaterThan(0);
  });
});
