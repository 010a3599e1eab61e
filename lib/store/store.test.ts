import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "./memory-store.ts";
import { RedisStore } from "./redis-store.ts";
import type { Store } from "./types.ts";

// One contract, both implementations: what quota and revocation will rely on.
const implementations: Array<[string, () => Store]> = [["memory", () => new MemoryStore()]];
if (process.env.TEST_REDIS_URL) {
  const url = process.env.TEST_REDIS_URL;
  implementations.push(["redis", () => new RedisStore(url, `gatehouse-test-${randomBytes(4).toString("hex")}:`)]);
}

const open: Store[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The expiry tests run against the real clock (Redis keeps its own): the calls meant to land in
// one window must all do so even when a slow, shared CI machine stalls a round trip for a while,
// so the window is generous and the wait past it only a little longer.
const WINDOW = 500;
const PAST_WINDOW = WINDOW + 100;

describe.each(implementations)("%s store", (_name, create) => {
  const make = () => {
    const store = create();
    open.push(store);
    return store;
  };

  it("counts within a window and starts again after it", async () => {
    const store = make();
    expect(await store.increment("quota:app1", 1, WINDOW)).toMatchObject({ count: 1 });
    expect(await store.increment("quota:app1", 2, WINDOW)).toMatchObject({ count: 3 });
    const { resetMs } = await store.increment("quota:app1", 0, WINDOW);
    expect(resetMs).toBeGreaterThan(0);
    expect(resetMs).toBeLessThanOrEqual(WINDOW);
    expect(await store.increment("quota:app2", 1, WINDOW)).toMatchObject({ count: 1 });
    await sleep(PAST_WINDOW);
    expect(await store.increment("quota:app1", 1, WINDOW)).toMatchObject({ count: 1 });
  });

  it("keeps several counters of one window in one hash that expires with it", async () => {
    const store = make();
    expect(await store.incrementFields("bot:w:a", { n: 1, e4: 0 }, WINDOW)).toEqual({ n: 1, e4: 0 });
    expect(await store.incrementFields("bot:w:a", { n: 1, e4: 1, seq: 2 }, WINDOW)).toEqual({ n: 2, e4: 1, seq: 2 });
    await sleep(PAST_WINDOW);
    expect(await store.incrementFields("bot:w:a", { n: 1 }, WINDOW)).toEqual({ n: 1 });
  });

  it("counts distinct members within a window", async () => {
    const store = make();
    for (const m of ["/a", "/b", "/a", "/c", "/b"]) await store.addDistinct("bot:p:a", m, WINDOW);
    expect(await store.addDistinct("bot:p:a", "/a", WINDOW)).toBe(3);
    // 500 sequential round trips can outlast any short window on a slow machine (the set would
    // restart midway): the approximate count gets a window it cannot outlive
    let last = 0;
    for (let i = 0; i < 500; i++) last = await store.addDistinct("bot:p:b", `/item/${i}`, 60_000);
    expect(last).toBeGreaterThan(480); // HyperLogLog is approximate (0.81 % standard error)
    expect(last).toBeLessThan(520);
    await store.delete("bot:p:b");
    await sleep(PAST_WINDOW);
    expect(await store.addDistinct("bot:p:a", "/z", WINDOW)).toBe(1);
  });

  it("counts concurrent increments exactly", async () => {
    const store = make();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.increment("spike", 1, 5_000)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("gets, sets with and without TTL, and deletes", async () => {
    const store = make();
    expect(await store.get("missing")).toBeNull();
    await store.set("k", "v");
    await store.set("short", "lived", WINDOW);
    expect(await store.get("k")).toBe("v");
    expect(await store.get("short")).toBe("lived");
    await sleep(PAST_WINDOW);
    expect(await store.get("short")).toBeNull();
    await store.delete("k");
    expect(await store.get("k")).toBeNull();
  });

  it("delivers published messages to every subscriber until they unsubscribe", async () => {
    const a = make();
    const b = make();
    const got: string[] = [];
    const offA = await a.subscribe("revocations", (m) => got.push(`a:${m}`));
    await b.subscribe("revocations", (m) => got.push(`b:${m}`));
    await b.subscribe("other", (m) => got.push(`other:${m}`));
    await a.publish("revocations", "token-1");
    await waitFor(() => got.length >= 1);
    await sleep(50);
    // b is another memory store, or a Redis store with another prefix: it hears nothing
    expect(got).toEqual(["a:token-1"]);
    await offA();
    got.length = 0;
    await a.publish("revocations", "token-2");
    await sleep(100);
    expect(got.filter((m) => m.startsWith("a:"))).toEqual([]);
    await a.ping();
  });
});

describe.runIf(process.env.TEST_REDIS_URL)("redis store across instances", () => {
  it("shares counters and messages between two instances with the same prefix", async () => {
    const prefix = `gatehouse-test-${randomBytes(4).toString("hex")}:`;
    const one = new RedisStore(process.env.TEST_REDIS_URL!, prefix);
    const two = new RedisStore(process.env.TEST_REDIS_URL!, prefix);
    const other = new RedisStore(process.env.TEST_REDIS_URL!, `${prefix}other:`);
    open.push(one, two, other);
    await one.increment("q", 5, 10_000);
    expect(await two.increment("q", 1, 10_000)).toMatchObject({ count: 6 });
    expect(await other.increment("q", 1, 10_000)).toMatchObject({ count: 1 });
    const got: string[] = [];
    await two.subscribe("invalidate", (m) => got.push(m));
    await other.subscribe("invalidate", (m) => got.push(`wrong:${m}`));
    await one.publish("invalidate", "proxy:42");
    await waitFor(() => got.length > 0);
    await sleep(50);
    expect(got).toEqual(["proxy:42"]);
  });

  it("says messages may have been missed when its subscription comes back after a lost connection", async () => {
    const store = new RedisStore(process.env.TEST_REDIS_URL!, `gatehouse-test-${randomBytes(4).toString("hex")}:`);
    open.push(store);
    let missed = 0;
    store.onMessagesMissed(() => missed++);
    const got: string[] = [];
    await store.subscribe("c", (m) => got.push(m));
    await store.publish("c", "first");
    await waitFor(() => got.length === 1);
    expect(missed).toBe(0); // the first connection is not a return
    // the subscriber's connection drops (as when Redis restarts) and ioredis reconnects
    (store as unknown as { subscriber: { disconnect(reconnect: boolean): void } }).subscriber.disconnect(true);
    await waitFor(() => missed === 1);
    await store.publish("c", "after");
    await waitFor(() => got.length === 2); // and it is subscribed again
  });

  it("fails fast instead of hanging when Redis is unreachable", async () => {
    const store = new RedisStore("redis://127.0.0.1:1", "x:");
    open.push(store);
    await expect(store.ping()).rejects.toThrow();
    await expect(store.increment("q", 1, 1000)).rejects.toThrow();
  });
});

describe("memory store", () => {
  it("drops expired entries so memory stays bounded", async () => {
    let now = 0;
    const store = new MemoryStore(60_000, () => now);
    open.push(store);
    for (let i = 0; i < 1000; i++) await store.increment(`ip:${i}`, 1, 1_000);
    expect(store.size()).toBe(1000);
    now = 1_001;
    expect(store.size()).toBe(0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}
