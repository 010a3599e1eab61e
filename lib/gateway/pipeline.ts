// One call through the gateway: the canonical request (canonical-path.ts; refused when there
// is none) → match the proxy → access phases in priority order (an answer
// stops the chain) → the upstream → response phases → the answer → log phases (never
// throwing) → one analytics event. The request body is buffered only when a policy needs it
// (bounded; over the limit → 413 and reading stops); otherwise it streams to the upstream,
// counted on the way. Every error is JSON without internals.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform, type Readable } from "node:stream";
import type { RequestContext } from "../http/types.ts";
import { callerAddress, fromTrustedProxy } from "../http/caller-address.ts";
import type { AnalyticsEventInput } from "../analytics/writer.ts";
import { recordGatewayCall } from "../metrics/index.ts";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/unavailable.ts";
import { problemAnswer } from "./answers.ts";
import { AUTHENTICATION_POLICIES } from "./policies/index.ts";
import { callerResponseHeaders, forwardingHeaders, upstreamRequestHeaders } from "./headers.ts";
import { canonicalPath, checkQuery, NON_CANONICAL_DETAIL, type NonCanonicalReason } from "./canonical-path.ts";
import { GATEWAY_METHODS } from "./routes.ts";
import { mayCarryFormOverride, resolveMethod } from "./method-override.ts";
import { ECHO_KEY_HEADER } from "../echo/key.ts";
import type { CallOutcome, GatewayAnswer, GatewayCall, ProxyDefinition } from "./policy.ts";
import type { ProxyRegistry, RegisteredProxy } from "./registry.ts";
import { upstreamFailure, type Upstream } from "./upstream.ts";
import { isPromise } from "../runtime/maybe-async.ts";
import { perObject } from "../runtime/per-object.ts";
import { BodyTooLarge, readBoundedBody } from "../http/body.ts";

export interface PipelineDeps {
  registry: ProxyRegistry;
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
  const answer = problemAnswer(400, part === "path" ? "Invalid path" : "Invalid query", NON_CANONICAL_DETAIL[reason]);
  (answer.body as Record<string, unknown>).code = reason;
  return answer;
}

const GATEWAY_METHOD_SET: ReadonlySet<string> = new Set(GATEWAY_METHODS);

export function deprecationHeaders(proxy: RegisteredProxy): Record<string, string> {
  const headers: Record<string, string> = {};
  if (proxy.deprecatedAt) headers["deprecation"] = `@${Math.floor(proxy.deprecatedAt.getTime() / 1000)}`; // RFC 9745
  if (proxy.sunsetAt) headers["sunset"] = proxy.sunsetAt.toUTCString(); // RFC 8594
  if (proxy.deprecationLink) headers["link"] = `<${proxy.deprecationLink}>; rel="deprecation"; type="text/html"`;
  return headers;
}

/** A proxy's metrics label ("orders/v1"), one string per loaded proxy rather than one per call. */
const metricsLabel = perObject((proxy: RegisteredProxy) => `${proxy.basePath}/${proxy.version}`);

const NO_POLICIES: ProxyDefinition = { id: "", name: "", basePath: "", version: "", targetUrl: "", idTokenMode: "none", caseSensitivePaths: false, methodOverride: "strip", productIds: [], chain: [] };

/** One call's state. A class (one shape for every call, a prototype getter) rather than an
 * object literal with a per-call accessor: cheaper at gateway rates. */
class Call implements GatewayCall {
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
  private childLog: RequestContext["log"] | null = null;

  constructor(
    private readonly ctx: RequestContext,
    readonly req: IncomingMessage,
    private readonly registered: RegisteredProxy,
    readonly path: string,
    readonly rawQuery: string,
    readonly fromTrustedProxy: boolean,
    publicHttps: boolean,
    readonly startedAt: number,
  ) {
    this.requestId = ctx.requestId;
    this.method = req.method ?? "GET";
    this.proxy = registered.definition ?? { ...NO_POLICIES, id: registered.id, basePath: registered.basePath, version: registered.version };
    this.matchPath = this.proxy.caseSensitivePaths ? path : path.toLowerCase();
    this.query = new URLSearchParams(rawQuery);
    this.clientIp = callerAddress(req);
    this.tls = publicHttps || (req.socket as { encrypted?: boolean }).encrypted === true;
    this.upstreamHeaders = upstreamRequestHeaders(req.headers, fromTrustedProxy);
    this.responseHeaders = deprecationHeaders(registered);
    this.responseHeaders["x-request-id"] = ctx.requestId; // the lane leaves it to the gateway (one writeHead)
  }

  /** A child logger with the call's ids, made only when something logs. */
  get log(): RequestContext["log"] {
    return (this.childLog ??= this.ctx.log.child({ reqId: this.ctx.requestId, proxyId: this.registered.id }));
  }
}

export function createGatewayHandler(deps: PipelineDeps) {
  return async function gatewayHandler(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const startedAt = Date.now();
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
      send(res, problemAnswer(404, "No API proxy matches this path", `No API proxy serves ${path.value}.`), { "x-request-id": ctx.requestId });
      return;
    }
    const { proxy, rest } = match;
    const definition = proxy.definition;
    const call = new Call(ctx, req, proxy, rest, rawQuery, fromTrustedProxy(req), deps.publicHttps, startedAt);
    const outcome: CallOutcome = { status: 500, upstreamLatencyMs: null, latencyMs: 0, answeredBy: null, bytesIn: 0, bytesOut: 0 };

    try {
      await run(call, proxy, deps, res, outcome);
    } catch (error) {
      const unavailable = isDatabaseUnavailable(error); // e.g. a token not in the cache while the database restarts
      if (unavailable) call.log.warn({ err: error }, "gateway call: database unavailable");
      else call.log.error({ err: error }, "gateway call failed");
      if (res.headersSent) res.destroy();
      else if (unavailable) {
        outcome.status = 503;
        res.setHeader("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
        send(res, problemAnswer(503, "Service temporarily unavailable", "The gateway cannot check this request right now; try again shortly."), call.responseHeaders);
      } else {
        outcome.status = 500;
        send(res, problemAnswer(500, "Gateway error", `Request ${ctx.requestId} failed; the details are in the gateway's log.`), call.responseHeaders);
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
    return answerWith(res, call, outcome, problemAnswer(500, "Proxy misconfigured", "This API proxy's policy configuration is invalid; an administrator has to fix it."), null);
  }
  if (proxy.sunsetAt && proxy.sunsetAt.getTime() <= call.startedAt) return answerWith(res, call, outcome, problemAnswer(410, "API version retired", `${proxy.basePath} ${proxy.version} was retired.`), null);

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
      answerWith(res, call, outcome, problemAnswer(413, "Payload Too Large"), "payload-size");
      return false;
    }
  };

  // The method every policy judges and the upstream gets.
  if (hasBody && mayCarryFormOverride(call.req) && !(await buffered())) return;
  const resolved = resolveMethod(call.req, call.query, call.body, definition.methodOverride, GATEWAY_METHOD_SET);
  if ("refused" in resolved) return answerWith(res, call, outcome, problemAnswer(400, "Invalid method override", resolved.refused), null);
  call.method = resolved.method;

  // Access phases, in priority order.
  for (const step of definition.chain) {
    if (step.policy.needsBody && call.body === null && !(await buffered())) return;
    if (!step.policy.access) continue;
    const result = step.policy.access(call, step.config);
    const stop = isPromise(result) ? await result : result; // most policies answer at once
    if (stop) {
      if (stop.status === 413) res.setHeader("connection", "close");
      return answerWith(res, call, outcome, stop, step.policy.name);
    }
    // A version pinned to chosen apps does not exist for anyone else (checked once the caller is known).
    if (proxy.pinnedAppIds && AUTHENTICATION_POLICIES.has(step.policy.name) && !(call.identity && proxy.pinnedAppIds.has(call.identity.appId))) {
      return answerWith(res, call, outcome, problemAnswer(404, "No API proxy matches this path", `No API proxy serves ${call.proxy.basePath} ${call.proxy.version} for this app.`), "version-pinning");
    }
  }

  // The upstream.
  const target = proxy.target;
  if (target.refused) {
    call.log.warn({ target: target.origin, refused: target.refused }, "upstream target refused (SSRF guard)");
    return answerWith(res, call, outcome, problemAnswer(502, "Upstream address refused"), null);
  }
  // The caller's query goes upstream byte for byte unless a policy changed it (verify-api-key
  // removes its parameter); URLSearchParams would re-encode it.
  const rawQuery = call.rawQuery;
  const callerQuery = rawQuery && call.query.toString() !== new URLSearchParams(rawQuery).toString() ? call.query.toString() : rawQuery;
  const query = target.query && callerQuery ? `${target.query}&${callerQuery}` : target.query || callerQuery;
  const upstreamPath = target.pathPrefix + call.path + (query ? `?${query}` : "");

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
  const exchange = deps.upstream.exchange({ origin: target.origin, path: upstreamPath, method: call.method, headers, body, allowPrivate: target.allowPrivate, ownServer: target.ownServer });
  const timer = setTimeout(() => exchange.abort(new Error("upstream deadline passed")), deps.upstreamTimeoutMs);
  try {
    let head;
    try {
      head = await exchange.head;
    } catch (error) {
      if (requestCounter) outcome.bytesIn = requestCounter.bytes;
      if (error instanceof BodyTooLarge || (requestCounter && requestCounter.bytes > proxy.maxRequestBytes)) {
        res.setHeader("connection", "close");
        return answerWith(res, call, outcome, problemAnswer(413, "Payload Too Large"), "payload-size");
      }
      const failure = upstreamFailure(error);
      call.log.warn({ err: error, reason: failure.reason, upstream: target.origin }, "upstream call failed");
      return answerWith(res, call, outcome, problemAnswer(failure.status, failure.title), null);
    }
    outcome.upstreamLatencyMs = Math.round(performance.now() - upstreamStarted);
    if (requestCounter) outcome.bytesIn = requestCounter.bytes;

    const length = Number(head.headers["content-length"] ?? NaN);
    if (length > deps.maxResponseBytes) {
      call.log.warn({ upstream: target.origin, length }, "upstream response too large");
      return answerWith(res, call, outcome, problemAnswer(502, "Bad upstream response", "The upstream's response is too large."), null);
    }
    for (const step of definition.chain) {
      if (step.policy.response) await step.policy.response(call, step.config, head);
    }
    outcome.status = head.status;
    res.writeHead(head.status, Object.assign(callerResponseHeaders(head.headers), call.responseHeaders));
    try {
      outcome.bytesOut = await exchange.relay(res, deps.maxResponseBytes);
    } catch (error) {
      // Headers are gone already: all that is left is to cut the connection (relay did).
      outcome.status = 502;
      outcome.bytesOut = (error as { bytes?: number }).bytes ?? 0;
      call.log.warn({ err: error, upstream: target.origin }, "upstream response aborted");
    }
  } finally {
    clearTimeout(timer);
    exchange.discard(); // no-op once relayed; otherwise frees the upstream connection
  }
}

/** The call is answered by the gateway or a policy (`by`), not the upstream. */
function answerWith(res: ServerResponse, call: GatewayCall, outcome: CallOutcome, answer: GatewayAnswer, by: string | null): void {
  outcome.status = answer.status;
  outcome.answeredBy = by;
  if (by) call.annotations.blockedBy = by;
  outcome.bytesOut = send(res, answer, call.responseHeaders);
}

/** Writes a policy's or the gateway's own answer; returns the body's size. */
function send(res: ServerResponse, answer: GatewayAnswer, extra: Record<string, string>): number {
  const headers: Record<string, string> = { ...extra, ...answer.headers };
  let payload: Buffer | string | undefined;
  if (answer.body === undefined) payload = undefined;
  else if ((Buffer.isBuffer(answer.body) || typeof answer.body === "string") && headers["content-type"]) payload = answer.body;
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
