import { afterAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../store/memory-store.ts";
import type { Store } from "../store/types.ts";
import type { GatewayAnswer } from "./policy.ts";
import type { QuotaThresholdNotice } from "./gateway-events.ts";
import { testContext, testRuntime } from "./test-context.ts";
import { quota, QuotaConfig } from "./policies/protection/quota.ts";
import { thresholdCount, thresholdsCrossedByEstimate, thresholdsReachedByCount } from "./quota-thresholds.ts";

const open: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

describe("quota thresholds", () => {
  it("are reached by the first whole call at or past 80 % and 100 %", () => {
    expect(thresholdCount(10, 80)).toBe(8);
    expect(thresholdCount(10, 100)).toBe(10);
    expect(thresholdCount(7, 80)).toBe(6); // 5.6 calls: the sixth reaches it
    expect(thresholdCount(1, 80)).toBe(1);
  });

  it("calendar windows: only the exact counts report, once each", () => {
    const reached = Array.from({ length: 15 }, (_, i) => thresholdsReachedByCount(i + 1, 10)).flat();
    expect(reached).toEqual([80, 100]);
    expect(thresholdsReachedByCount(1, 1)).toEqual([80, 100]);
  });

  it("rolling windows: the call whose estimate passes a threshold proposes it", () => {
    expect(thresholdsCrossedByEstimate(7.5, 10)).toEqual([]);
    expect(thresholdsCrossedByEstimate(8.2, 10)).toEqual([80]);
    expect(thresholdsCrossedByEstimate(10.5, 10)).toEqual([100]);
    expect(thresholdsCrossedByEstimate(11, 10)).toEqual([]);
  });
});

/** The quota policy with an events service that keeps what it is handed. */
function setup(config: Record<string, unknown>, options: { store?: Store; now?: () => number } = {}) {
  const store = options.store ?? new MemoryStore(60_000, options.now);
  open.push(store);
  const notices: QuotaThresholdNotice[] = [];
  const runtime = testRuntime({ store, now: options.now, services: { productQuota: async () => null, events: { quotaThreshold: (n) => void notices.push(n) } } });
  open.push(runtime);
  const parsed = QuotaConfig.parse(config);
  const call = async (appId: string | null = "app-1") => (await quota.access!(testContext({ appId }, runtime), parsed)) as GatewayAnswer | undefined;
  return { call, notices };
}

describe("quota policy → threshold notices", () => {
  it("a calendar quota of 10 under 25 concurrent calls hands over exactly one 80 % and one 100 % notice", async () => {
    const now = () => Date.UTC(2026, 10, 28, 10, 0, 30);
    const { call, notices } = setup({ allow: 10, timeUnit: "minute", type: "calendar" }, { now });
    const answers = await Promise.all(Array.from({ length: 25 }, () => call()));
    expect(answers.filter((a) => a?.status === 429)).toHaveLength(15);
    expect(notices.map((n) => n.percent).sort()).toEqual([100, 80]);
    expect(notices[0]).toMatchObject({
      appId: "app-1",
      limit: 10,
      window: { type: "calendar", seconds: 60, start: Date.UTC(2026, 10, 28, 10, 0), end: Date.UTC(2026, 10, 28, 10, 1) },
    });
    expect(notices.every((n) => n.claimKey === undefined)).toBe(true);
  });

  it("a new calendar window reports again", async () => {
    let at = Date.UTC(2026, 10, 28, 10, 0, 30);
    const { call, notices } = setup({ allow: 5, timeUnit: "minute", type: "calendar" }, { now: () => at });
    for (let i = 0; i < 6; i++) await call();
    at += 60_000;
    for (let i = 0; i < 6; i++) await call();
    expect(notices.map((n) => n.percent)).toEqual([80, 100, 80, 100]);
  });

  it("rolling windows propose notices with a claim key per window and threshold", async () => {
    const { call, notices } = setup({ allow: 10, timeUnit: "minute", type: "rolling" }, { now: () => Date.UTC(2026, 10, 28, 10, 0, 30) });
    for (let i = 0; i < 12; i++) await call();
    expect(notices.map((n) => n.percent)).toEqual([80, 100]);
    expect(new Set(notices.map((n) => n.claimKey)).size).toBe(2);
    expect(notices[0]!.claimKey).toMatch(/^quota-notice:.*:80$/);
  });

  it("calls counted per instance while the store fails tell nobody (each instance sees only its share)", async () => {
    const down = () => Promise.reject(new Error("ECONNREFUSED"));
    const broken = { kind: "redis", increment: down, get: down, close: async () => {} } as unknown as Store;
    const { call, notices } = setup({ allow: 2, timeUnit: "minute", type: "calendar" }, { store: broken });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await call())?.status ?? 200);
    expect(answers).toEqual([200, 200, 429]);
    expect(notices).toEqual([]);
  });

  it("callers counted by address (no app) tell nobody", async () => {
    const { call, notices } = setup({ allow: 2, timeUnit: "minute", type: "calendar" });
    for (let i = 0; i < 3; i++) await call(null);
    expect(notices).toEqual([]);
  });
});
