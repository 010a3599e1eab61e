// OpenTelemetry tracing, off unless an OTLP endpoint is configured (the server then has no
// Tracing and every caller checks that one reference: nothing else runs per request).
//
// When on, each request gets a server span (lib/http/lanes.ts); the gateway adds a child per
// policy phase and one per upstream try, whose context goes to the backend in a W3C
// `traceparent` header (lib/gateway/pipeline.ts). A caller's `traceparent` continues its trace
// only when the TCP peer is a trusted proxy (TRUSTED_PROXIES): anyone else could otherwise
// choose the trace ids a backend records, or force sampling. Spans are exported in batches over
// OTLP/HTTP by the official SDK; a collector that is down costs dropped spans, never a call.
//
// This module loads the SDK: the server imports it only when tracing is on
// (lib/server/machine-lane.ts); the request path needs trace-context.ts alone.
import { hostname } from "node:os";
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type Sampler } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { TelemetryConfig } from "../config/load.ts";
import { RequestTrace, headerGetter, propagator, type Tracing } from "./trace-context.ts";

/** The tracing of this process, or null when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is unset. */
export function createTracing(config: TelemetryConfig): Tracing | null {
  if (!config.tracesEndpoint) return null;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.serviceName,
      // each machine-lane worker exports its own spans
      "service.instance.id": `${hostname()}/${process.pid}`,
    }),
    sampler: samplerOf(config),
    // a path or User-Agent is the caller's choice: bounded like the access log's
    spanLimits: { attributeValueLengthLimit: 2048 },
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: config.tracesEndpoint, headers: config.headers }),
        scheduledDelayMillis: config.scheduleDelayMs,
        exportTimeoutMillis: 5_000, // a hanging collector holds shutdown no longer than this
      }),
    ],
  });
  const tracer = provider.getTracer("gatehouse");
  return {
    startRequest(req, name, trusted) {
      const parent = trusted && req.headers.traceparent !== undefined ? propagator.extract(ROOT_CONTEXT, req.headers, headerGetter) : ROOT_CONTEXT;
      return new RequestTrace(tracer.startSpan(name, { kind: SpanKind.SERVER }, parent), tracer);
    },
    shutdown: () => provider.shutdown(),
  };
}

/** OTEL_TRACES_SAMPLER and its argument, as the SDK specification names them. */
function samplerOf({ sampler, ratio }: TelemetryConfig): Sampler {
  switch (sampler) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
