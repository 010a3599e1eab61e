import { describe, expect, it } from "vitest";
import { ConsistentHash, LeastConnections, SmoothRoundRobin, type BalancedTarget } from "./balancer.ts";

const targets = (...weights: number[]): BalancedTarget[] => weights.map((weight, index) => ({ index, weight, active: 0, current: 0 }));
const all = () => true;

describe("smooth weighted round-robin", () => {
  it("spreads 5:1:1 as nginx does, without bursts", () => {
    const t = targets(5, 1, 1);
    const rr = new SmoothRoundRobin(t);
    expect(Array.from({ length: 7 }, () => rr.pick(all)!.index)).toEqual([0, 0, 1, 0, 2, 0, 0]);
  });

  it("skips drained (weight 0) and ineligible targets; null when none is left", () => {
    const t = targets(1, 0, 1);
    const rr = new SmoothRoundRobin(t);
    const picks = Array.from({ length: 4 }, () => rr.pick((x) => x.index !== 2)!.index);
    expect(picks).toEqual([0, 0, 0, 0]);
    expect(rr.pick(() => false)).toBeNull();
  });
});

describe("least connections", () => {
  it("prefers the target with the fewest calls in flight per weight, ties in turn", () => {
    const t = targets(1, 1, 2);
    const lc = new LeastConnections(t);
    t[0]!.active = 2;
    t[1]!.active = 1;
    t[2]!.active = 2; // 2 per 2 weight = 1 per 1: ties with target 1
    const picks = new Set(Array.from({ length: 6 }, () => lc.pick(all)!.index));
    expect(picks).toEqual(new Set([1, 2]));
    t[1]!.active = 0;
    expect(lc.pick(all)!.index).toBe(1);
  });
});

describe("consistent hash", () => {
  const ids = ["http://a", "http://b", "http://c"];

  it("keeps a key on one target, spreads keys over all, and moves only the keys of a target that goes", () => {
    const t = targets(100, 100, 100);
    const ring = new ConsistentHash(t, ids);
    const keys = Array.from({ length: 3000 }, (_, i) => `user-${i}`);
    const first = keys.map((k) => ring.pick(all, k)!.index);
    expect(keys.map((k) => ring.pick(all, k)!.index)).toEqual(first);
    for (const i of [0, 1, 2]) expect(first.filter((x) => x === i).length).toBeGreaterThan(700);
    const without1 = keys.map((k) => ring.pick((x) => x.index !== 1, k)!.index);
    keys.forEach((_, i) => {
      if (first[i] !== 1) expect(without1[i]).toBe(first[i]);
      else expect(without1[i]).not.toBe(1);
    });
  });

  it("falls back to round-robin without a key", () => {
    const ring = new ConsistentHash(targets(1, 1), ids.slice(0, 2));
    expect([ring.pick(all, null)!.index, ring.pick(all, null)!.index].sort()).toEqual([0, 1]);
  });
});
