// The request listener of server.ts: requests the machine router knows run in plain Node;
// everything else goes to the browser lane (Next.js) with the page security headers.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { MachineRouter, allows } from "./router.ts";
import { sendJson, sendProblem } from "./responses.ts";
import { requestIdOf } from "./request-id.ts";
import { callerAddress, fromTrustedProxy } from "./caller-address.ts";
import { browserSecurityHeaders, newNonce, type BrowserHeaderOptions } from "./security-headers.ts";
import { CLIENT_CERT_HEADER, clientCertificateThumbprint } from "./tls.ts";
import type { MachineHandler, RequestContext } from "./types.ts";
import { recordHttpRequest } from "../metrics/index.ts";
import { accessLogLine } from "../log/access-log-line.ts";
import type { AccessLogShipper } from "../log/access-log-shipper.ts";
import { withoutSecrets } from "../security/secrets.ts";
import { SpanStatusCode, traceIdOfHeader, type RequestTrace, type Tracing } from "../telemetry/trace-context.ts";

export type BrowserHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface LaneOptions {
  router: MachineRouter;
  browser: BrowserHandler;
  log: Logger;
  headers: BrowserHeaderOptions;
  /** True once shutdown began: responses then ask clients to close their connections. */
  isShuttingDown?: () => boolean;
  /** Where each finished request's access-log line goes (ACCESS_LOG_*); null: not shipped. */
  accessLog?: AccessLogShipper | null;
  /** OpenTelemetry (lib/telemetry): each request gets a server span; null: tracing is off. */
  tracing?: Tracing | null;
}

const MAX_URL_LENGTH = 8192;
const REFUSED_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);

export function createRequestListener(options: LaneOptions) {
  const { router, browser, log, headers, isShuttingDown = () => false } = options;
  const accessLog = options.accessLog ?? null;
  const tracing = options.tracing ?? null;

  return function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const requestId = requestIdOf(req);
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const started = performance.now();
    const matched = router.lookup(pathname);
    const route = matched?.route;
    const lane = route ? "machine" : "browser";

    const method = req.method ?? "";
    const handlerSendsId = route?.sendsRequestId === true && !REFUSED_METHODS.has(method) && url.length <= MAX_URL_LENGTH && allows(route, method);
    if (!handlerSendsId) res.setHeader("x-request-id", requestId);
    if (isShuttingDown()) res.setHeader("connection", "close");
    const shownPath = withoutSecrets(pathname); // what logs, access logs and spans may hold
    const trace = tracing ? startTrace(tracing, req, requestId, lane, matched?.pattern ?? null, shownPath) : null;
    (res as Finished)[FINISHED] = { log, requestId, lane, route: matched?.pattern ?? null, pathname: shownPath, started, accessLog, trace };
    res.on("finish", onFinish); // one shared listener, no closure per request
    if (trace?.recording) res.on("close", endTrace); // also when the connection dies before the answer finished

    if (REFUSED_METHODS.has(req.method ?? "")) return sendProblem(res, 405, "Method Not Allowed");
    if (url.length > MAX_URL_LENGTH) return sendProblem(res, 414, "URI Too Long");

    if (route) {
      if (!allows(route, req.method ?? "")) {
        const allow = route.methods.includes("GET") ? [...route.methods, "HEAD"] : route.methods;
        return sendProblem(res, 405, "Method Not Allowed", undefined, { allow: allow.join(", ") });
      }
      const ctx: RequestContext = { requestId, pathname, log, trace };
      runMachineHandler(route.handler, req, res, ctx);
      return;
    }

    // Next.js decodes dynamic route segments and fails (500) on a malformed escape such as "%"
    // or "%E0%A4%A": no page or API path holds one, so it is the caller's error.
    if (!decodablePath(pathname)) return sendProblem(res, 400, "Bad Request", "The path holds a malformed percent-encoding.");

    // What route handlers may trust about the connection (inbound copies are overwritten).
    req.headers["x-gatehouse-client-ip"] = callerAddress(req);
    req.headers[CLIENT_CERT_HEADER] = clientCertificateThumbprint(req) ?? ""; // certificate-bound tokens at /api/v1
    req.headers["x-request-id"] = requestId;
    const nonce = newNonce();
    const pageHeaders = browserSecurityHeaders(nonce, headers);
    // Next.js takes the script nonce from the request's CSP header.
    req.headers["content-security-policy"] = pageHeaders["content-security-policy"];
    for (const [name, value] of Object.entries(pageHeaders)) res.setHeader(name, value);
    Promise.resolve(browser(req, res)).catch((error: unknown) => failed(error, res, log, requestId));
  };
}

function decodablePath(pathname: string): boolean {
  if (!pathname.includes("%")) return true;
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const FINISHED = Symbol("gatehouse.request");
type Finished = ServerResponse & {
  [FINISHED]: {
    log: Logger;
    requestId: string;
    lane: "machine" | "browser";
    route: string | null;
    /** The path without its query, issued secrets cut (withoutSecrets). */
    pathname: string;
    started: number;
    accessLog: AccessLogShipper | null;
    trace: RequestTrace | null;
  };
};

/** The request's server span, named as OpenTelemetry's HTTP conventions say: method and route
 * (a page's route is Next.js's business: its span is named by the method alone). Attributes
 * are only worth building for a sampled request. */
function startTrace(tracing: Tracing, req: IncomingMessage, requestId: string, lane: "machine" | "browser", route: string | null, pathname: string): RequestTrace {
  const method = req.method ?? "";
  const trace = tracing.startRequest(req, route ? `${method} ${route}` : method, fromTrustedProxy(req));
  if (!trace.recording) return trace;
  const userAgent = req.headers["user-agent"];
  trace.span.setAttributes({
    "http.request.method": method,
    "url.path": pathname,
    ...(route ? { "http.route": route } : {}),
    "client.address": callerAddress(req),
    ...(userAgent ? { "user_agent.original": userAgent } : {}),
    "gatehouse.lane": lane,
    "gatehouse.request_id": requestId,
  });
  return trace;
}

/** Ends the server span with the answer's status (an error from 500 on, or when the answer never finished). */
function endTrace(this: ServerResponse): void {
  const { span } = (this as Finished)[FINISHED].trace!;
  if (this.headersSent) span.setAttribute("http.response.status_code", this.statusCode);
  if (!this.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR, message: "connection closed before the answer finished" });
  else if (this.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** The request's trace id: its span's, or with tracing off a trusted proxy's traceparent's. */
function traceIdOf(res: ServerResponse, trace: RequestTrace | null): string | null {
  if (trace) return trace.traceId;
  return fromTrustedProxy(res.req) ? traceIdOfHeader(res.req.headers) : null;
}

/** Metrics, the shipped access-log line and the log line of a finished request. */
function onFinish(this: ServerResponse): void {
  const { log, requestId, lane, route, pathname, started, accessLog, trace } = (this as Finished)[FINISHED];
  const elapsed = performance.now() - started;
  const routeClass = route ?? browserRouteClass(pathname);
  recordHttpRequest(lane, routeClass, this.statusCode, elapsed / 1000);
  if (accessLog) accessLog.push(accessLogLine(this, { requestId, traceId: traceIdOf(this, trace), lane, route: routeClass, pathname, latencyMs: elapsed }));
  const level = lane === "browser" && pathname.startsWith("/_next/") ? "debug" : "info";
  if (!log.isLevelEnabled(level)) return;
  const line = { reqId: requestId, lane, method: this.req.method, path: pathname, status: this.statusCode, ms: Math.round(elapsed) };
  log[level](trace ? { ...line, traceId: trace.traceId } : line, "request");
}

/** A bounded label for browser-lane paths (metrics): static assets, the management API, pages. */
function browserRouteClass(pathname: string): string {
  if (pathname.startsWith("/_next/")) return "next-static";
  if (pathname === "/api/v1" || pathname.startsWith("/api/v1/")) return "management-api";
  if (pathname.startsWith("/api/")) return "api-other";
  return "page";
}

function runMachineHandler(handler: MachineHandler, req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
  try {
    const result = handler(req, res, ctx);
    if (result instanceof Promise) result.catch((error: unknown) => failed(error, res, ctx.log, ctx.requestId));
  } catch (error) {
    failed(error, res, ctx.log, ctx.requestId);
  }
}

/** An unexpected error: logged with its stack, answered without one. */
function failed(error: unknown, res: ServerResponse, log: Logger, requestId: string): void {
  log.error({ err: error, reqId: requestId }, "unhandled error");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!res.hasHeader("x-request-id")) res.setHeader("x-request-id", requestId);
  sendJson(res, 500, { error: "server_error", error_description: "An unexpected error occurred.", request_id: requestId });
}
