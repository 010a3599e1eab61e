import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import type { TelemetryConfig } from "../config/load.ts";
import { createTracing } from "./tracing.ts";
import { injectTraceContext, traceIdOfHeader } from "./trace-context.ts";

const PARENT = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331" };
const TRACEPARENT = `00-${PARENT.traceId}-${PARENT.spanId}-01`;

const config = (overrides: Partial<TelemetryConfig> = {}): TelemetryConfig => ({
  // nothing listens there: spans are only exported at shutdown, which is not called
  tracesEndpoint: "http://127.0.0.1:9/v1/traces",
  headers: {},
  serviceName: "test",
  sampler: "parentbased_always_on",
  ratio: 1,
  scheduleDelayMs: 60_000,
  ...overrides,
});
const request = (headers: IncomingMessage["headers"]) => ({ headers }) as IncomingMessage;

describe("tracing", () => {
  it("is off (null) without an OTLP endpoint", () => {
    expect(createTracing(config({ tracesEndpoint: null }))).toBeNull();
  });

  it("continues a traceparent only when the request is a trusted proxy's", () => {
    const tracing = createTracing(config())!;
    const trusted = tracing.startRequest(request({ traceparent: TRACEPARENT }), "GET /x", true);
    expect(trusted.traceId).toBe(PARENT.traceId);
    expect((trusted.span as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId).toBe(PARENT.spanId);
    const untrusted = tracing.startRequest(request({ traceparent: TRACEPARENT }), "GET /x", false);
    expect(untrusted.traceId).not.toBe(PARENT.traceId);
    expect(untrusted.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("starts a new trace when traceparent is sent twice or is malformed", () => {
    const tracing = createTracing(config())!;
    for (const traceparent of [`${TRACEPARENT}, ${TRACEPARENT}`, `${TRACEPARENT}x`, "00-00000000000000000000000000000000-b7ad6b7169203331-01"]) {
      expect(tracing.startRequest(request({ traceparent }), "GET /x", true).traceId, String(traceparent)).not.toBe(PARENT.traceId);
    }
  });

  it("samples as configured: never, by ratio 0, or as the trusted parent says", () => {
    const never = createTracing(config({ sampler: "always_off" }))!;
    expect(never.startRequest(request({}), "GET /x", false).recording).toBe(false);
    const none = createTracing(config({ sampler: "parentbased_traceidratio", ratio: 0 }))!;
    expect(none.startRequest(request({}), "GET /x", false).recording).toBe(false);
    expect(none.startRequest(request({ traceparent: TRACEPARENT }), "GET /x", true).recording).toBe(true);
    expect(none.startRequest(request({ traceparent: TRACEPARENT.replace(/01$/, "00") }), "GET /x", true).recording).toBe(false);
    const all = createTracing(config({ sampler: "traceidratio", ratio: 1 }))!;
    expect(all.startRequest(request({}), "GET /x", false).recording).toBe(true);
  });

  it("writes the span's context over any traceparent and tracestate, also for an unsampled request", () => {
    const tracing = createTracing(config({ sampler: "always_off" }))!;
    const trace = tracing.startRequest(request({}), "GET /x", false);
    const headers: Record<string, string | string[]> = { traceparent: TRACEPARENT, tracestate: "forged=1", accept: "*/*" };
    injectTraceContext(trace.span, headers);
    expect(headers).toEqual({ traceparent: `00-${trace.traceId}-${trace.span.spanContext().spanId}-00`, accept: "*/*" });
  });

  it("reads the trace id of a valid traceparent, else null", () => {
    expect(traceIdOfHeader({ traceparent: TRACEPARENT })).toBe(PARENT.traceId);
    expect(traceIdOfHeader({})).toBeNull();
    expect(traceIdOfHeader({ traceparent: "garbage" })).toBeNull();
  });

  it("makes children of a sampled request under its span", () => {
    const trace = createTracing(config())!.startRequest(request({}), "GET /x", false);
    const child = trace.child("policy quota");
    expect(child.spanContext().traceId).toBe(trace.traceId);
    expect((child as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId).toBe(trace.span.spanContext().spanId);
  });
});
