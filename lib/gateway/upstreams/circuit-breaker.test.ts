import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "./circuit-breaker.ts";
import { RetryBudget, MIN_RETRIES_PER_SECOND } from "./retry-budget.ts";
import { TargetHealth } from "./target-health.ts";

describe("circuit breaker", () => {
  it("opens after N failures in a row, half-opens after openMs with limited probes, closes when they pass", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 1000, halfOpenProbes: 2 });
    breaker.failure(0);
    breaker.failure(0);
    breaker.success(); // a success resets the streak
    breaker.failure(0);
    breaker.failure(0);
    expect(breaker.state).toBe("closed");
    breaker.failure(10);
    expect(breaker.state).toBe("open");
    expect(breaker.allows(500)).toBe(false);
    expect(breaker.allows(1010)).toBe(true);
    expect(breaker.state).toBe("half-open");
    breaker.taken();
    breaker.taken();
    expect(breaker.allows(1010)).toBe(false); // both probes in flight
    breaker.success();
    expect(breaker.state).toBe("half-open");
    breaker.success();
    expect(breaker.state).toBe("closed");
  });

  it("a failed probe opens it again", () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 100, halfOpenProbes: 1 });
    breaker.failure(0);
    expect(breaker.allows(100)).toBe(true);
    breaker.taken();
    breaker.failure(100);
    expect(breaker.state).toBe("open");
    expect(breaker.allows(150)).toBe(false);
    expect(breaker.allows(200)).toBe(true);
  });
});

describe("retry budget", () => {
  it("allows percent of the calls of the last 10 s, at least a few per second", () => {
    let now = 1_000_000;
    const budget = new RetryBudget(10, () => now);
    for (let i = 0; i < 1000; i++) budget.call();
    let allowed = 0;
    while (budget.tryRetry()) allowed++;
    expect(allowed).toBe(100);
    now += 11_000; // the window has passed: only the floor is left
    allowed = 0;
    while (budget.tryRetry()) allowed++;
    expect(allowed).toBe(MIN_RETRIES_PER_SECOND * 10);
  });
});

describe("target health", () => {
  it("passive: N failures in a row take a target out for the cooldown", () => {
    const health = new TargetHealth({ unhealthyFailures: 2, unhealthyTimeouts: 1, cooldownMs: 100 }, null);
    health.record("failure", 0);
    health.record("success", 0);
    health.record("failure", 0);
    expect(health.healthy(0)).toBe(true);
    health.record("failure", 0);
    expect(health.healthy(50)).toBe(false);
    expect(health.healthy(100)).toBe(true);
    health.record("timeout", 200);
    expect(health.healthy(250)).toBe(false);
  });

  it("active: thresholds of consecutive checks move it out and back in", () => {
    const health = new TargetHealth(null, { healthyThreshold: 2, unhealthyThreshold: 2 });
    health.checked(false);
    expect(health.healthy(0)).toBe(true);
    health.checked(false);
    expect(health.healthy(0)).toBe(false);
    health.checked(true);
    expect(health.healthy(0)).toBe(false);
    health.checked(true);
    expect(health.healthy(0)).toBe(true);
  });
});
