// What a request's path needs of tracing, on @opentelemetry/api and the W3C propagator alone
// (the SDK and its exporter load only when tracing is on: tracing.ts). A RequestTrace travels
// with the call: spans are parented explicitly, no context manager, no AsyncLocalStorage.
import type { IncomingMessage } from "node:http";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type TextMapGetter, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

export { SpanKind, SpanStatusCode, type Span };

export const propagator = new W3CTraceContextPropagator();

/** Reads one header as Node gives it: a header sent twice arrives joined ("a, b"), which no
 * parser accepts, so such a request starts a new trace (W3C Trace Context §3.2.2). */
export const headerGetter: TextMapGetter<IncomingMessage["headers"]> = {
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

  /** Whether this request is sampled: children and attributes are only worth making when it is. */
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

/** The tracing of a process (tracing.ts), when on. */
export interface Tracing {
  /** The server span of a request; `trusted`: its traceparent, if any, is its parent. */
  startRequest(req: IncomingMessage, name: string, trusted: boolean): RequestTrace;
  /** Exports what is queued and stops (shutdown). */
  shutdown(): Promise<void>;
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

/** Records a failure on a span and ends it. */
export function endWithError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
