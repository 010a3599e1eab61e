import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { metrics, recordGatewayCall, recordStoreFailure, renderMetrics } from "./index.ts";
import { isLoopback, metricsAllowed } from "./routes.ts";

const request = (remoteAddress: string, authorization?: string) => ({ socket: { remoteAddress }, headers: authorization ? { authorization } : {} }) as unknown as IncomingMessage;

describe("/metrics protection", () => {
  it("without METRICS_TOKEN answers loopback peers only", () => {
    for (const address of ["127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"]) expect(isLoopback(address)).toBe(true);
    for (const address of ["10.0.0.1", "192.0.2.2", "::ffff:10.0.0.1", "fe80::1", "", "127.0.0.1.evil"]) expect(isLoopback(address)).toBe(false);
    expect(metricsAllowed(request("127.0.0.1"), null)).toBe("ok");
    expect(metricsAllowed(request("192.0.2.7", "Bearer anything"), null)).toBe("forbidden");
  });

  it("with METRICS_TOKEN wants that bearer token from anyone, loopback included", () => {
    const token = "s3cret-metrics-token-0123456789";
    expect(metricsAllowed(request("127.0.0.1"), token)).toBe("unauthorized");
    expect(metricsAllowed(request("127.0.0.1", `Bearer ${token}x`), token)).toBe("unauthorized");
    expect(metricsAllowed(request("127.0.0.1", `Basic ${token}`), token)).toBe("unauthorized");
    expect(metricsAllowed(request("192.0.2.7", `Bearer ${token}`), token)).toBe("ok");
    expect(metricsAllowed(request("192.0.2.7", `bearer ${token}`), token)).toBe("ok");
  });
});

describe("metrics registry", () => {
  it("is one per process and renders recorded samples in the Prometheus text format", async () => {
    expect(metrics()).toBe(metrics());
    recordGatewayCall("unit/v1", 429, "quota", 0.004);
    recordStoreFailure("increment");
    const { contentType, body } = await renderMetrics();
    expect(contentType).toContain("text/plain");
    expect(body).toContain('gatehouse_gateway_calls_total{proxy="unit/v1",outcome="4xx",blocked_by="quota"} 1');
    expect(body).toContain('gatehouse_store_failures_total{operation="increment"} 1');
    expect(body).toMatch(/gatehouse_gateway_call_duration_seconds_bucket\{le="0\.005",proxy="unit\/v1"\} 1/);
  });
});
