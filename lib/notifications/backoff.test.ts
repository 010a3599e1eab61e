import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./backoff.ts";

describe("retry backoff", () => {
  it("doubles each time, between half and all of base·2^(n-1)", () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(2, 1000, () => 1)).toBe(2000);
    expect(retryDelayMs(5, 1000, () => 0.5)).toBe(12000);
  });

  it("spreads retries with jitter", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, 1000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d >= 2000 && d <= 4000).toBe(true);
  });

  it("never waits more than a day", () => {
    expect(retryDelayMs(60, 30_000, () => 1)).toBe(24 * 60 * 60 * 1000);
  });
});
