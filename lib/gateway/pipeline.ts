// One call through the gateway: the canonical request (canonical-path.ts; refused when there
// is none) → match the proxy → arrive phases → the method (method-override.ts) → access
// phases in priority order (an answer stops the chain) → the upstream → response phases (and,
// only when a policy asks for it, the body collected for the responseBody phases) → the
// answer → log phases (never throwing) → one analytics event. The pipeline knows no policy by
// name: what a chain holds is chain.ts's (and the policies') business. The request body is buffered only when a policy needs it
// (bounded; over the limit → 413 and reading stops); otherwise it streams to the upstream,
// counted on the way. Every error is JSON without internals.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform, type Readable } from "node:stream";
import type { RequestContext } from "../http/types.ts";
import { callerAddress, fromTrustedProxy } from "../http/caller-address.ts";
import type { AnalyticsEventInput } from "../analytics/writer.ts";
import { recordGatewayCall } from "../metrics/index.ts";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/unavailable.ts";
import { problemAnswer, retryAfterSeconds } from "./answers.ts";
import { callerResponseHeaders, forwardingHeaders, upstreamRequestHeaders } from "./headers.ts";
import { canonicalPath, checkQuery, NON_CANONICAL_DETAIL, type NonCanonicalReason } from "./canonical-path.ts";
import { GATEWAY_METHODS } from "./routes.ts";
import { mayCarryFormOverride, resolveMethod } from "./method-override.ts";
import { ECHO_KEY_HEADER } from "../echo/key.ts";
import type { CallOutcome, CollectedResponse, GatewayAnswer, GatewayCall, PolicyContext, PolicyRuntime, ProxyDefinition } from "./policy.ts";
import type { ProxyRegistry, RegisteredProxy, UpstreamTarget } from "./registry.ts";
import { upstreamFailure, type Upstream, type UpstreamExchange, type UpstreamHead } from "./upstream.ts";
import type { UpstreamMember, UpstreamSet } from "./upstreams/upstream-set.ts";
import type { CallResult } from "./upstreams/target-health.ts";
import { isPromise } from "../runtime/maybe-async.ts";
import { perObject } from "../runtime/per-object.ts";
import { BodyTooLarge, readBoundedBody } from "../http/body.ts";
import { GATEWAY_FACTS, type WithGatewayFacts } from "../log/access-log-line.ts";
import { SpanKind, SpanStatusCode, endWithError, injectTraceContext, type RequestTrace, type Span } from "../telemetry/trace-context.ts";

export interface PipelineDeps {
  registry: ProxyRegistry;
  /** What every call's policies share: the gateway's services, counters and clock. */
  runtime: PolicyRuntime;
  upstream: Upstream;
  analytics: { record(event: AnalyticsEventInput): void };
  /** The whole upstream exchange (headers and body). */
  upstreamTimeoutMs: number;
  maxResponseBytes: number;
  /** TLS is terminated in front of Gatehouse when PUBLIC_URL is https. */
  publicHttps: boolean;
  /** PUBLIC_URL's host: what the backend is told the caller asked for (X-Forwarded-Host). */
  publicHost: string;
  /** Sent to echo backends, which answer no one else (lib/echo/key.ts). */
  echoKey: string;
  /** Access logs are shipped (ACCESS_LOG_*): each call's facts go on its response for the line. */
  accessLog?: boolean;
}

/** Counts bytes through a stream and fails it past `limit`. */
function counter(limit: number, tooLarge: () => Error): Transform & { bytes: number } {
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      stream.bytes += chunk.length;
      if (stream.bytes > limit) callback(tooLarge());
      else callback(null, chunk);
    },
  }) as Transform & { bytes: number };
  stream.bytes = 0;
  return stream;
}

const NO_BODY = Buffer.alloc(0);

/** RFC 9112 §6.3: a request without Content-Length or Transfer-Encoding has no body. */
function requestHasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return length !== undefined ? length !== "0" : req.headers["transfer-encoding"] !== undefined;
}

/** RFC 9457 answer to a request that has no canonical spelling; `code` names the rule. */
function nonCanonicalAnswer(reason: NonCanonicalReason, part: "path" | "query"): GatewayAnswer {
  return problemAnswer(400, { title: part === "path" ? "Invalid path" : "Invalid query", detail: NON_CANONICAL_DETAIL[reason], code: reason });
}

const GATEWAY_METHOD_SET: ReadonlySet<string> = new Set(GATEWAY_METHODS);

/** A proxy's metrics label ("orders/v1"), one string per loaded proxy rather than one per call. */
const metricsLabel = perObject((proxy: RegisteredProxy) => `${proxy.basePath}/${proxy.version}`);

const NO_POLICIES: ProxyDefinition = {
  id: "",
  name: "",
  basePath: "",
  version: "",
  targetUrl: "",
  idTokenMode: "none",
  caseSensitivePaths: false,
  methodOverride: "strip",
  productIds: [],
  chain: [],
};

/** One call's state, and the context every policy phase gets: a class (one shape for every
 * call, a prototype getter) rather than an object literal with a per-call accessor, cheaper at
 * gateway rates; the runtime is three references to what the gateway built once. */
class Call implements PolicyContext {
  readonly requestId: string;
  /** The request's method until a method override is resolved (method-override.ts). */
  method: string;
  readonly matchPath: string;
  readonly proxy: ProxyDefinition;
  readonly query: URLSearchParams;
  readonly clientIp: string;
  readonly tls: boolean;
  body: Buffer | null = null;
  identity: GatewayCall["identity"] = null;
  productId: string | null = null;
  readonly upstreamHeaders: Record<string, string | string[]>;
  readonly responseHeaders: Record<string, string>;
  readonly annotations: GatewayCall["annotations"] = {};
  readonly state = new Map<string, unknown>();
  readonly services: PolicyRuntime["services"];
  readonly store: PolicyRuntime["store"];
  readonly clock: PolicyRuntime["clock"];
  /** The request's trace (tracing on), whose context the backend gets. */
  readonly trace: RequestTrace | null;
  /** The same while the request is sampled: policies and the upstream get spans under it. */
  readonly sampled: RequestTrace | null;
  /** The span of the policy phase running now (policySpan): a phase that throws leaves it here. */
  phaseSpan: Span | null = null;
  private childLog: RequestContext["log"] | null = null;

  constructor(
    private readonly ctx: RequestContext,
    readonly req: IncomingMessage,
    private readonly registered: RegisteredProxy,
    public path: string,
    readonly rawQuery: string,
    readonly fromTrustedProxy: boolean,
    publicHttps: boolean,
    readonly startedAt: number,
    runtime: PolicyRuntime,
  ) {
    this.requestId = ctx.requestId;
    this.method = req.method ?? "GET";
    this.proxy = registered.definition ?? { ...NO_POLICIES, id: registered.id, basePath: registered.basePath, version: registered.version };
    this.matchPath = this.proxy.caseSensitivePaths ? path : path.toLowerCase();
    this.query = new URLSearchParams(rawQuery);
    this.clientIp = callerAddress(req);
    this.tls = publicHttps || (req.socket as { encrypted?: boolean }).encrypted === true;
    this.upstreamHeaders = upstreamRequestHeaders(req.headers, fromTrustedProxy);
    this.responseHeaders = { "x-request-id": ctx.requestId }; // the lane leaves it to the gateway (one writeHead)
    this.services = runtime.services;
    this.store = runtime.store;
    this.clock = runtime.clock;
    this.trace = ctx.trace ?? null;
    this.sampled = this.trace?.recording ? this.trace : null;
  }

  /** A child logger with the call's ids, made only when something logs. */
  get log(): RequestContext["log"] {
    return (this.childLog ??= this.ctx.log.child({ reqId: this.ctx.requestId, proxyId: this.registered.id }));
  }
}

export function createGatewayHandler(deps: PipelineDeps) {
  const runtime = deps.runtime;
  return async function gatewayHandler(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const startedAt = runtime.clock.now();
    const started = performance.now();
    // One spelling of the request before anything judges it: routing, every policy and the
    // upstream see the same canonical path.
    const path = canonicalPath(ctx.pathname);
    if (!path.ok) return void send(res, nonCanonicalAnswer(path.reason, "path"), { "x-request-id": ctx.requestId });
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const rawQuery = queryAt === -1 ? "" : url.slice(queryAt + 1);
    const queryProblem = checkQuery(rawQuery);
    if (queryProblem) return void send(res, nonCanonicalAnswer(queryProblem, "query"), { "x-request-id": ctx.requestId });
    const match = deps.registry.matchCached(path.value) ?? (await deps.registry.match(path.value));
    if (!match) {
      send(res, problemAnswer(404, { title: "No API proxy matches this path", detail: `No API proxy serves ${path.value}.` }), { "x-request-id": ctx.requestId });
      return;
    }
    const { proxy, rest } = match;
    const definition = proxy.definition;
    const call = new Call(ctx, req, proxy, rest, rawQuery, fromTrustedProxy(req), deps.publicHttps, startedAt, runtime);
    call.sampled?.span.setAttributes({ "gatehouse.proxy.id": proxy.id, "gatehouse.proxy.base_path": proxy.basePath, "gatehouse.proxy.version": proxy.version });
    const outcome: CallOutcome = { status: 500, upstreamLatencyMs: null, latencyMs: 0, answeredBy: null, bytesIn: 0, bytesOut: 0 };
    if (deps.accessLog) (res as WithGatewayFacts)[GATEWAY_FACTS] = { call, outcome };

    try {
      await run(call, proxy, deps, res, outcome);
    } catch (error) {
      if (call.phaseSpan) endWithError(call.phaseSpan, error);
      if (call.sampled) annotateSpan(call);
      const unavailable = isDatabaseUnavailable(error); // e.g. a token not in the cache while the database restarts
      if (unavailable) call.log.warn({ err: error }, "gateway call: database unavailable");
      else call.log.error({ err: error }, "gateway call failed");
      if (res.headersSent) res.destroy();
      else if (unavailable) {
        outcome.status = 503;
        res.setHeader("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
        send(
          res,
          problemAnswer(503, { title: "Service temporarily unavailable", detail: "The gateway cannot check this request right now; try again shortly." }),
          call.responseHeaders,
        );
      } else {
        outcome.status = 500;
        send(res, problemAnswer(500, { title: "Gateway error", detail: `Request ${ctx.requestId} failed; the details are in the gateway's log.` }), call.responseHeaders);
      }
    }

    outcome.latencyMs = Math.round(performance.now() - started);
    for (const step of definition?.chain ?? []) {
      if (!step.policy.log) continue;
      try {
        step.policy.log(call, step.config, outcome);
      } catch (error) {
        call.log.warn({ err: error, policy: step.policy.name }, "log phase failed");
      }
    }
    deps.analytics.record({
      at: new Date(startedAt),
      requestId: ctx.requestId,
      proxyId: proxy.id,
      version: proxy.version,
      productId: call.productId,
      appId: call.identity?.appId ?? null,
      developerId: call.identity?.developerId ?? null,
      userSub: call.identity?.userSub ?? null,
      method: call.method,
      path: path.value.slice(0, 500),
      status: outcome.status,
      latencyMs: outcome.latencyMs,
      upstreamLatencyMs: outcome.upstreamLatencyMs,
      bytesIn: outcome.bytesIn,
      bytesOut: outcome.bytesOut,
      clientIp: call.clientIp || null,
      authenticated: call.identity !== null,
      authKind: call.identity?.kind ?? null,
      tls: call.tls,
      bot: call.annotations.bot ?? null,
      blockedBy: call.annotations.blockedBy ?? null,
    });
    recordGatewayCall(metricsLabel(proxy), outcome.status, call.annotations.blockedBy ?? null, outcome.latencyMs / 1000);
  };
}

async function run(call: Call, proxy: RegisteredProxy, deps: PipelineDeps, res: ServerResponse, outcome: CallOutcome): Promise<void> {
  const definition = proxy.definition;
  if (!definition) {
    call.log.error({ error: proxy.error }, "proxy has an invalid policy chain");
    return answerWith(
      res,
      call,
      outcome,
      problemAnswer(500, { title: "Proxy misconfigured", detail: "This API proxy's policy configuration is invalid; an administrator has to fix it." }),
      null,
    );
  }
  // Arrive phases: nothing has judged the call yet, so their answers are the gateway's own.
  for (const step of definition.chain) {
    if (!step.policy.arrive) continue;
    const span = policySpan(call, step.policy.name, "arrive");
    const result = step.policy.arrive(call, step.config);
    const stop = isPromise(result) ? await result : result;
    if (span) endPolicySpan(call, span, stop);
    if (stop) return answerWith(res, call, outcome, stop, null);
  }

  const hasBody = requestHasBody(call.req);
  /** Buffers the body (bounded); false when it was too large and the call is answered. */
  const buffered = async (): Promise<boolean> => {
    try {
      call.body = hasBody ? await readBoundedBody(call.req, proxy.maxRequestBytes) : NO_BODY;
      outcome.bytesIn = call.body.length;
      return true;
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      res.setHeader("connection", "close"); // stop reading: the rest of the body is not drained
      answerWith(res, call, outcome, problemAnswer(413, { title: "Payload Too Large" }), proxy.bodyLimitedBy);
      return false;
    }
  };

  // The method every policy judges and the upstream gets.
  if (hasBody && mayCarryFormOverride(call.req) && !(await buffered())) return;
  const resolved = resolveMethod(call.req, call.query, call.body, definition.methodOverride, GATEWAY_METHOD_SET);
  if ("refused" in resolved) return answerWith(res, call, outcome, problemAnswer(400, { title: "Invalid method override", detail: resolved.refused }), null);
  call.method = resolved.method;

  // Access phases, in priority order.
  for (const step of definition.chain) {
    const needsBody = step.policy.needsBody;
    if (needsBody && call.body === null && (needsBody === true || needsBody(step.config)) && !(await buffered())) return;
    if (!step.policy.access) continue;
    const span = policySpan(call, step.policy.name, "access");
    const result = step.policy.access(call, step.config);
    const stop = isPromise(result) ? await result : result; // most policies answer at once
    if (span) endPolicySpan(call, span, stop);
    if (stop) {
      if (stop.status === 413) res.setHeader("connection", "close");
      return answerWith(res, call, outcome, stop, step.policy.name);
    }
  }

  // The upstream: the proxy's one target, or the one its balancer picks (upstreams/).
  const set = proxy.upstream;
  let member: UpstreamMember | null = null;
  let target = proxy.target;
  if (set) {
    member = set.first(call);
    if (!member) return answerWith(res, call, outcome, noHealthyUpstream(set), null);
    target = member.target;
  }
  if (target.refused) {
    if (member) set!.abandon(member);
    call.log.warn({ target: target.origin, refused: target.refused }, "upstream target refused (SSRF guard)");
    return answerWith(res, call, outcome, problemAnswer(502, { title: "Upstream address refused" }), null);
  }
  // The caller's query goes upstream byte for byte unless a policy changed it (an API key
  // sent as a parameter is removed); URLSearchParams would re-encode it.
  const rawQuery = call.rawQuery;
  const callerQuery = rawQuery && call.query.toString() !== new URLSearchParams(rawQuery).toString() ? call.query.toString() : rawQuery;
  let upstreamPath = pathOn(target, call.path, callerQuery);

  const headers = call.upstreamHeaders;
  const trusted = call.fromTrustedProxy;
  forwardingHeaders(headers, {
    peer: call.req.socket.remoteAddress ?? "",
    clientIp: call.clientIp,
    tls: call.tls,
    publicHost: deps.publicHost,
    trustedForwardedFor: trusted ? call.req.headers["x-forwarded-for"] : undefined,
    trustedForwarded: trusted ? call.req.headers["forwarded"] : undefined,
  });
  headers["x-request-id"] = call.requestId;
  if (target.echo) headers[ECHO_KEY_HEADER] = deps.echoKey;
  // The backend joins the trace: under the upstream span when sampled, else the request's own
  // (unsampled) context, so its logs still carry the trace id.
  let upstreamSpan: Span | null = null;
  if (call.sampled) {
    annotateSpan(call); // the identity is settled; the span may end before this function returns
    upstreamSpan = upstreamSpanOf(call.sampled, call.method, target);
  }
  if (call.trace) injectTraceContext(upstreamSpan ?? call.trace.span, headers);

  let body: Buffer | Readable | null = null;
  let requestCounter: (Transform & { bytes: number }) | null = null;
  if (call.body && hasBody) {
    body = call.body;
    headers["content-length"] = String(call.body.length);
  } else if (hasBody) {
    // any method: a GET with a body keeps it (its Content-Length goes upstream with it)
    requestCounter = counter(proxy.maxRequestBytes, () => new BodyTooLarge(proxy.maxRequestBytes));
    call.req.pipe(requestCounter);
    call.req.once("error", (error) => requestCounter!.destroy(error));
    body = requestCounter;
  }

  // The whole exchange is bounded: response headers by undici's headersTimeout, the body (a
  // slow drip that never trips bodyTimeout) by this deadline, which cuts it.
  const upstreamStarted = performance.now();
  let exchange = tryOn(deps.upstream, target, upstreamPath, call.method, headers, body);
  const timer = setTimeout(() => exchange.abort(new Error("upstream deadline passed")), deps.upstreamTimeoutMs);
  try {
    let head;
    try {
      if (!set) head = await exchange.head;
      else {
        // A try may go to another target only when nothing of the request reached the first
        // (no connection, or its circuit open), the method is idempotent (RFC 9110 §9.2.2) and
        // the body can be sent again (none, or buffered) — and the retry budget allows it.
        const resendable = requestCounter === null && IDEMPOTENT.has(call.method);
        const perTryMs = set.retries?.perTryTimeoutMs ?? 0;
        let tried: Set<UpstreamMember> | null = null;
        for (;;) {
          try {
            head = await headWithin(exchange, perTryMs);
            break;
          } catch (error) {
            set.outcome(member!, failureKind(error), upstreamFailure(error).reason);
            const spent = (tried?.size ?? 0) >= (set.retries?.attempts ?? 0) || performance.now() - upstreamStarted >= deps.upstreamTimeoutMs;
            if (exchange.sent || !resendable || spent) throw error;
            (tried ??= new Set()).add(member!);
            const next = set.retry(call, tried);
            if (!next || next.target.refused) {
              if (next) set.abandon(next);
              throw error;
            }
            set.release(member!);
            member = next;
            target = next.target;
            if (upstreamSpan) {
              // each try is a span of its own (OpenTelemetry's HTTP client conventions), and the
              // next target is called under the new one
              upstreamSpan.setStatus({ code: SpanStatusCode.ERROR, message: upstreamFailure(error).reason });
              upstreamSpan.end();
              upstreamSpan = upstreamSpanOf(call.sampled!, call.method, target);
              upstreamSpan.setAttribute("http.request.resend_count", tried.size);
              injectTraceContext(upstreamSpan, headers);
            }
            upstreamPath = pathOn(target, call.path, callerQuery);
            if (target.echo) headers[ECHO_KEY_HEADER] = deps.echoKey;
            else delete headers[ECHO_KEY_HEADER];
            call.log.debug({ upstream: target.origin, reason: upstreamFailure(error).reason }, "upstream try failed before sending; retrying on another target");
            exchange = tryOn(deps.upstream, target, upstreamPath, call.method, headers, body);
          }
        }
        set.outcome(member!, UPSTREAM_IN_TROUBLE.has(head.status) ? "failure" : "success", UPSTREAM_IN_TROUBLE.has(head.status) ? `answered ${head.status}` : undefined);
      }
    } catch (error) {
      if (requestCounter) outcome.bytesIn = requestCounter.bytes;
      if (error instanceof BodyTooLarge || (requestCounter && requestCounter.bytes > proxy.maxRequestBytes)) {
        res.setHeader("connection", "close");
        upstreamSpan?.setStatus({ code: SpanStatusCode.ERROR, message: "request body too large" });
        return answerWith(res, call, outcome, problemAnswer(413, { title: "Payload Too Large" }), proxy.bodyLimitedBy);
      }
      const failure = upstreamFailure(error);
      upstreamSpan?.setStatus({ code: SpanStatusCode.ERROR, message: failure.reason });
      call.log.warn({ err: error, reason: failure.reason, upstream: target.origin }, "upstream call failed");
      return answerWith(res, call, outcome, problemAnswer(failure.status, { title: failure.title }), null);
    }
    outcome.upstreamLatencyMs = Math.round(performance.now() - upstreamStarted);
    if (requestCounter) outcome.bytesIn = requestCounter.bytes;
    if (upstreamSpan) {
      upstreamSpan.setAttribute("http.response.status_code", head.status);
      if (head.status >= 500) upstreamSpan.setStatus({ code: SpanStatusCode.ERROR });
    }

    const length = Number(head.headers["content-length"] ?? NaN);
    if (length > deps.maxResponseBytes) {
      call.log.warn({ upstream: target.origin, length }, "upstream response too large");
      upstreamSpan?.setStatus({ code: SpanStatusCode.ERROR, message: "response too large" });
      return answerWith(res, call, outcome, problemAnswer(502, { title: "Bad upstream response", detail: "The upstream's response is too large." }), null);
    }
    let collect = false;
    for (const step of definition.chain) {
      if (step.policy.response) {
        const span = policySpan(call, step.policy.name, "response");
        await step.policy.response(call, step.config, head);
        if (span) endPolicySpan(call, span, null);
      }
      if (step.policy.wantsResponseBody?.(call, step.config, head)) collect = true;
    }
    if (collect) return await answerCollected(res, call, definition, exchange, head, deps.maxResponseBytes, outcome);
    outcome.status = head.status;
    res.writeHead(head.status, Object.assign(callerResponseHeaders(head.headers), call.responseHeaders));
    try {
      outcome.bytesOut = await exchange.relay(res, deps.maxResponseBytes);
    } catch (error) {
      // Headers are gone already: all that is left is to cut the connection (relay did).
      outcome.status = 502;
      outcome.bytesOut = (error as { bytes?: number }).bytes ?? 0;
      upstreamSpan?.setStatus({ code: SpanStatusCode.ERROR, message: "response aborted" });
      call.log.warn({ err: error, upstream: target.origin }, "upstream response aborted");
    }
  } finally {
    clearTimeout(timer);
    exchange.discard(); // no-op once relayed; otherwise frees the upstream connection
    if (member) set!.release(member);
    upstreamSpan?.end(); // after the body was relayed (or collected)
  }
}

/** The span of one policy phase, named by the policy, while the call is sampled. */
function policySpan(call: Call, policy: string, phase: "arrive" | "access" | "response"): Span | null {
  if (!call.sampled) return null;
  return (call.phaseSpan = call.sampled.child(`policy ${policy}`, SpanKind.INTERNAL, { "gatehouse.policy": policy, "gatehouse.policy.phase": phase }));
}

/** A phase that answered the call says with what status. */
function endPolicySpan(call: Call, span: Span, answer: GatewayAnswer | null | undefined | void): void {
  if (answer) span.setAttribute("gatehouse.policy.answer_status", answer.status);
  span.end();
  call.phaseSpan = null;
}

/** What the gateway knows of the call, on the request's span. Written before the answer: the
 * span ends when the answer finishes, which may come before the handler resumes. */
function annotateSpan(call: Call): void {
  const { span } = call.sampled!;
  if (call.identity) span.setAttributes({ "gatehouse.app.id": call.identity.appId, "gatehouse.auth.kind": call.identity.kind });
  if (call.annotations.blockedBy) span.setAttribute("gatehouse.blocked_by", call.annotations.blockedBy);
}

/** The client span of the upstream exchange (OpenTelemetry HTTP client conventions). */
function upstreamSpanOf(trace: RequestTrace, method: string, target: UpstreamTarget): Span {
  return trace.child(method, SpanKind.CLIENT, { "http.request.method": method, ...serverOf(target) });
}

function serverOf(target: UpstreamTarget): { "server.address": string; "server.port": number } {
  const url = new URL(target.origin);
  return { "server.address": url.hostname, "server.port": Number(url.port) || (url.protocol === "https:" ? 443 : 80) };
}

/** One try of the request on `target`; `path` is pathOn's. */
function tryOn(
  upstream: Upstream,
  target: UpstreamTarget,
  path: string,
  method: string,
  headers: Record<string, string | string[]>,
  body: Buffer | Readable | null,
): UpstreamExchange {
  return upstream.exchange({ origin: target.origin, path, method, headers, body, allowPrivate: target.allowPrivate, ownServer: target.ownServer });
}

/** The path and query a target is sent: its own path and query, then the caller's. */
function pathOn(target: UpstreamTarget, path: string, callerQuery: string): string {
  const query = target.query && callerQuery ? `${target.query}&${callerQuery}` : target.query || callerQuery;
  return target.pathPrefix + path + (query ? `?${query}` : "");
}

/** RFC 9110 §9.2.2 idempotent methods (TRACE is refused before here). */
const IDEMPOTENT: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** Answers in which an upstream says it is itself in trouble: they count against its health. */
const UPSTREAM_IN_TROUBLE: ReadonlySet<number> = new Set([502, 503, 504]);

/** What a failed try says about its target: it timed out, it failed, or nothing (the caller's body was too large). */
function failureKind(error: unknown): CallResult | null {
  if (error instanceof BodyTooLarge) return null;
  const reason = upstreamFailure(error).reason;
  return reason === "connect_timeout" || reason === "headers_timeout" || reason === "deadline" ? "timeout" : "failure";
}

/** The head, or a connect timeout when the try has not reached its target within `ms` (0: no per-try bound);
 * a try that is already sending is waited for: it can no longer go elsewhere. */
async function headWithin(exchange: UpstreamExchange, ms: number): Promise<UpstreamHead> {
  if (ms <= 0) return exchange.head;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  const head = await Promise.race([exchange.head, late]).finally(() => clearTimeout(timer));
  if (head) return head;
  if (exchange.sent) return exchange.head;
  const error = Object.assign(new Error("upstream try timed out before connecting"), { code: "UND_ERR_CONNECT_TIMEOUT" });
  exchange.head.catch(() => {}); // abandoned: its own failure is nobody's business now
  exchange.abort(error);
  throw error;
}

/** Every target of a balanced proxy is unhealthy, its circuit open or drained: 503 and when to come back. */
function noHealthyUpstream(set: UpstreamSet): GatewayAnswer {
  return problemAnswer(
    503,
    { title: "No healthy upstream", detail: "Every backend of this API is unavailable right now; try again later.", code: "no_healthy_upstream" },
    { "retry-after": retryAfterSeconds(set.retryAfterMs()) },
  );
}

/** A policy asked for the upstream's whole body (a cache storing it, a transform rewriting it):
 * collected (bounded by the gateway's response limit), handed to the responseBody phases
 * nearest the upstream first, then written with its own Content-Length. */
async function answerCollected(
  res: ServerResponse,
  call: Call,
  definition: ProxyDefinition,
  exchange: UpstreamExchange,
  head: UpstreamHead,
  maxResponseBytes: number,
  outcome: CallOutcome,
): Promise<void> {
  let body: Buffer;
  try {
    body = await exchange.collect(maxResponseBytes);
  } catch (error) {
    call.log.warn({ err: error }, "upstream response could not be read");
    const failure = (error as { code?: string }).code === "GATEWAY_RESPONSE_TOO_LARGE" ? { status: 502, title: "Bad upstream response" } : upstreamFailure(error);
    return answerWith(res, call, outcome, problemAnswer(failure.status, { title: failure.title }), null);
  }
  const response: CollectedResponse = { status: head.status, headers: callerResponseHeaders(head.headers), body };
  for (let i = definition.chain.length - 1; i >= 0; i--) {
    const step = definition.chain[i]!;
    if (step.policy.responseBody) await step.policy.responseBody(call, step.config, response);
  }
  // HEAD, 204 and 304 answers carry no body: their Content-Length (if any) is the upstream's.
  const bodiless = call.method === "HEAD" || response.status === 204 || response.status === 304;
  if (!bodiless) response.headers["content-length"] = String(response.body.length);
  outcome.status = response.status;
  res.writeHead(response.status, Object.assign(response.headers, call.responseHeaders));
  res.end(bodiless ? undefined : response.body);
  outcome.bytesOut = bodiless ? 0 : response.body.length;
}

/** The call is answered by the gateway or a policy (`by`), not the upstream. A policy that
 * served it (a cached answer) did not block it. */
function answerWith(res: ServerResponse, call: Call, outcome: CallOutcome, answer: GatewayAnswer, by: string | null): void {
  outcome.status = answer.status;
  outcome.answeredBy = by;
  if (by && !answer.served) call.annotations.blockedBy = by;
  if (call.sampled) annotateSpan(call);
  outcome.bytesOut = send(res, answer, call.responseHeaders);
}

/** Writes a policy's or the gateway's own answer; returns the body's size. */
function send(res: ServerResponse, answer: GatewayAnswer, extra: Record<string, string>): number {
  const headers: Record<string, string> = { ...extra, ...answer.headers };
  let payload: Buffer | string | undefined;
  if (answer.body === undefined) payload = undefined;
  else if (Buffer.isBuffer(answer.body) || (typeof answer.body === "string" && headers["content-type"]))
    payload = answer.body; // bytes go as they are (a cached answer)
  else {
    payload = JSON.stringify(answer.body);
    headers["content-type"] ??= "application/json; charset=utf-8";
    headers["cache-control"] ??= "no-store";
    headers["x-content-type-options"] = "nosniff";
  }
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(res.req?.method === "HEAD" ? undefined : payload);
  return payload === undefined ? 0 : Buffer.byteLength(payload);
}
