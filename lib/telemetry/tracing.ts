// OpenTelemetry tracing, off unless an OTLP endpoint is configured (createTracing returns null
// and every caller checks that one reference: nothing else runs per request).
//
// When on, each request gets a server span (lib/http/lanes.ts); the gateway adds a child per
// policy phase and one for the upstream exchange, whose context goes to the backend in a W3C
// `traceparent` header (lib/gateway/pipeline.ts). A caller's `traceparent` continues its trace
// only when the TCP peer is a trusted proxy (TRUSTED_PROXIES): anyone else could otherwise
// choose the trace ids a backend records, or force sampling. Spans are exported in batches over
// OTLP/HTTP by the official SDK; a collector that is down costs dropped spans, never a call.
//
// No context manager: spans are parented explicitly (a RequestTrace travels with the call),
// which keeps the hot path free of AsyncLocalStorage.
import type { IncomingMessage } from "node:http";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type TextMapGetter, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type Sampler } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { TelemetryConfig } from "../config/load.ts";

export { SpanKind, SpanStatusCode, type Span };

const propagator = new W3CTraceContextPropagator();

/** Reads one header; a header sent twice is joined by Node into a value no parser accepts, as
 * W3C Trace Context §3.2.2 asks (a request with two traceparent headers starts a new trace). */
const headerGetter: TextMapGetter<IncomingMessage["headers"]> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    return Array.isArray(value) ? value.join(",") : value;
  },
};

/** The span of one request and the tracer its children come from. */
export class RequestTrace {
  constructor(
    readonly span: Span,
    private readonly tracer: Tracer,
  ) {}

  /** Whether this request is sampled: children are only worth making when it is. */
  get recording(): boolean {
    return this.span.isRecording();
  }

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  /** A span under the request's. */
  child(name: string, kind: SpanKind = SpanKind.INTERNAL, attributes?: Attributes): Span {
    return this.tracer.startSpan(name, { kind, attributes }, trace.setSpan(ROOT_CONTEXT, this.span));
  }
}

/** Writes `span`'s context as W3C traceparent (and tracestate, when the trace carries one),
 * replacing whatever the headers held. */
export function injectTraceContext(span: Span, headers: Record<string, string | string[]>): void {
  delete headers.traceparent;
  delete headers.tracestate;
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, {
    set: (carrier, key, value) => {
      carrier[key] = value;
    },
  });
}

/** The trace id of a W3C traceparent header, or null when there is none or it is invalid. */
export function traceIdOfHeader(headers: IncomingMessage["headers"]): string | null {
  if (headers.traceparent === undefined) return null;
  const context = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, headerGetter));
  return context ? context.traceId : null;
}

export interface Tracing {
  /** The server span of a request; `trusted`: its traceparent, if any, is its parent. */
  startRequest(req: IncomingMessage, name: string, trusted: boolean): RequestTrace;
  /** Exports what is queued and stops (shutdown). */
  shutdown(): Promise<void>;
}

/** The tracing of this process, or null when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is unset. */
export function createTracing(config: TelemetryConfig, version = "0"): Tracing | null {
  if (!config.tracesEndpoint) return null;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, "service.version": version }),
    sampler: samplerOf(config),
    // a path or User-Agent is the caller's choice: bounded like the access log's
    spanLimits: { attributeValueLengthLimit: 2048 },
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: config.tracesEndpoint, headers: config.headers }),
        scheduledDelayMillis: config.scheduleDelayMs,
        exportTimeoutMillis: 10_000, // a hanging collector holds shutdown no longer than this
      }),
    ],
  });
  const tracer = provider.getTracer("gatehouse", version);
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
