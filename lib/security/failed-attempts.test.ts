import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../store/index.ts";
import { FailedAttempts, slowDownMs, type FailedAttemptPolicy } from "./failed-attempts.ts";

const POLICY: FailedAttemptPolicy = {
  perSource: { limit: 3, windowMs: 60_000 },
  perSubject: { windowMs: 600_000, free: 2, stepMs: 100, maxDelayMs: 250 },
};

describe("FailedAttempts", () => {
  const stores: MemoryStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  function attempts() {
    const store = new MemoryStore();
    stores.push(store);
    const waited: number[] = [];
    return { waited, failures: new FailedAttempts(store, "test", POLICY, async (ms) => void waited.push(ms)) };
  }

  it("refuses a subject from one address past the limit, and only from that address", async () => {
    const { failures } = attempts();
    for (let i = 0; i < 3; i++) {
      expect(await failures.refusal("client-1", "198.51.100.1")).toBeNull();
      await failures.failed("client-1", "198.51.100.1");
    }
    expect(await failures.refusal("client-1", "198.51.100.1")).toBe(60);
    expect(await failures.refusal("client-1", "198.51.100.2")).toBeNull(); // another address
    expect(await failures.refusal("client-2", "198.51.100.1")).toBeNull(); // another subject
  });

  it("slows failures of a subject from every address down, bounded, and never refuses for them", async () => {
    const { failures, waited } = attempts();
    for (let i = 0; i < 6; i++) await failures.failed("client-1", `203.0.113.${i}`);
    expect(waited).toEqual([100, 200, 250, 250]); // the first two are free; then 100 ms more each, up to 250
    expect(await failures.refusal("client-1", "203.0.113.99")).toBeNull();
  });

  it("keeps subject and address apart however they are spelled", async () => {
    const { failures } = attempts();
    for (let i = 0; i < 3; i++) await failures.failed("a", "b:c");
    expect(await failures.refusal("a:b", "c")).toBeNull();
  });

  it("fails open when the store cannot be reached", async () => {
    const store = new MemoryStore();
    stores.push(store);
    const broken = Object.assign(Object.create(store) as MemoryStore, {
      get: () => Promise.reject(new Error("down")),
      increment: () => Promise.reject(new Error("down")),
    });
    const failures = new FailedAttempts(broken, "test", POLICY, async () => {});
    await failures.failed("client-1", "198.51.100.1");
    expect(await failures.refusal("client-1", "198.51.100.1")).toBeNull();
  });
});

describe("slowDownMs", () => {
  it("is 0 within the free allowance, then grows by a step, up to the bound", () => {
    const policy = POLICY.perSubject;
    expect([1, 2, 3, 4, 5, 100].map((n) => slowDownMs(n, policy))).toEqual([0, 0, 100, 200, 250, 250]);
  });
});
