import { describe, expect, it } from "vitest";
import { TtlCache } from "./ttl-cache.ts";

describe("TtlCache", () => {
  it("answers an entry until its own deadline, and the last known one after it", () => {
    const cache = new TtlCache<string | null>(10);
    cache.set("a", "A", 100);
    cache.set("missing", null, 50);
    expect(cache.fresh("a", 99)?.value).toBe("A");
    expect(cache.fresh("missing", 49)).toEqual({ value: null, until: 50 });
    expect(cache.fresh("a", 100)).toBeUndefined();
    expect(cache.last("a")?.value).toBe("A");
  });

  it("evicts the least recently used entry when full", () => {
    const cache = new TtlCache<number>(2);
    cache.set("a", 1, 1_000);
    cache.set("b", 2, 1_000);
    cache.fresh("a", 0); // a is now the most recently used
    cache.set("c", 3, 1_000);
    expect(cache.last("b")).toBeUndefined();
    expect(cache.last("a")?.value).toBe(1);
    expect(cache.size).toBe(2);
  });

  it("deletes what an announcement covers and nothing else", () => {
    const cache = new TtlCache<{ appId: string } | null>(10);
    cache.set("t1", { appId: "x" }, 1_000);
    cache.set("t2", { appId: "y" }, 1_000);
    cache.set("t3", null, 1_000);
    cache.deleteWhere((v) => v?.appId === "x");
    expect([cache.last("t1"), cache.last("t2")?.value, cache.last("t3")?.value]).toEqual([undefined, { appId: "y" }, null]);
  });

  it("keeps the order exact when the most recently used entry is used again, or deleted and set anew", () => {
    const cache = new TtlCache<number>(2);
    cache.set("a", 1, 1_000);
    cache.set("b", 2, 1_000);
    cache.fresh("a", 0);
    cache.fresh("a", 0); // already the newest
    cache.set("c", 3, 1_000); // evicts b
    expect([cache.last("a")?.value, cache.last("b"), cache.last("c")?.value]).toEqual([1, undefined, 3]);
    cache.deleteWhere((v) => v === 3); // the newest goes
    cache.set("d", 4, 1_000);
    cache.fresh("a", 0);
    cache.set("e", 5, 1_000); // evicts d, the least recently used
    expect([cache.last("a")?.value, cache.last("d"), cache.last("e")?.value]).toEqual([1, undefined, 5]);
  });
});
