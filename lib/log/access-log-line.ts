// One access-log line per finished request (lib/http/lanes.ts), shipped as JSON lines
// (access-log-shipper.ts). What a line may hold is decided here, and it holds no secret: no
// header but the User-Agent (no Authorization, Cookie, API key or DPoP proof), the path without
// its query string (a query can carry an API key), no body. JSON.stringify escapes control
// characters, so a line is always one line whatever a client sends.
import type { ServerResponse } from "node:http";
import { callerAddress } from "../http/caller-address.ts";

/** What the gateway knows of a call, put on its response (only while access logs are shipped)
 * for the line written when the response finishes. References to the call's own state, read
 * at finish time: nothing is copied per call. */
export const GATEWAY_FACTS = Symbol("gatehouse.gateway-facts");

export interface GatewayFacts {
  call: {
    proxy: { id: string; basePath: string; version: string };
    identity: { appId: string; kind: string } | null;
    annotations: { bot?: string; blockedBy?: string };
    clientIp: string;
  };
  /** The gateway's own answers count their bytes before they finish; a relayed answer after. */
  outcome: { upstreamLatencyMs: number | null; bytesOut: number };
}

export type WithGatewayFacts = ServerResponse & { [GATEWAY_FACTS]?: GatewayFacts };

export interface AccessLogRequest {
  requestId: string;
  /** The OpenTelemetry trace the request belongs to (lib/telemetry), or null. */
  traceId: string | null;
  lane: "machine" | "browser";
  /** The route pattern (machine lane) or class (browser lane: page, management-api, …). */
  route: string;
  /** The path without its query string. */
  pathname: string;
  latencyMs: number;
}

const MAX_PATH = 2048;
const MAX_USER_AGENT = 256;

/** The JSON text of one line (without its newline). */
export function accessLogLine(res: ServerResponse, request: AccessLogRequest): string {
  const facts = (res as WithGatewayFacts)[GATEWAY_FACTS];
  const userAgent = res.req.headers["user-agent"];
  return JSON.stringify({
    time: new Date(Date.now() - request.latencyMs).toISOString(), // when the request arrived
    requestId: request.requestId,
    traceId: request.traceId,
    lane: request.lane,
    method: res.req.method,
    path: request.pathname.length > MAX_PATH ? request.pathname.slice(0, MAX_PATH) : request.pathname,
    route: request.route,
    status: res.statusCode,
    latencyMs: Math.round(request.latencyMs),
    clientAddress: facts ? facts.call.clientIp : callerAddress(res.req),
    userAgent: userAgent === undefined ? null : userAgent.length > MAX_USER_AGENT ? userAgent.slice(0, MAX_USER_AGENT) : userAgent,
    bytesOut: facts?.outcome.bytesOut || contentLength(res),
    gateway: facts ? gatewayPart(facts) : null,
  });
}

function gatewayPart({ call, outcome }: GatewayFacts) {
  return {
    proxyId: call.proxy.id,
    basePath: call.proxy.basePath,
    version: call.proxy.version,
    appId: call.identity?.appId ?? null,
    authKind: call.identity?.kind ?? null,
    upstreamLatencyMs: outcome.upstreamLatencyMs,
    blockedBy: call.annotations.blockedBy ?? null,
    bot: call.annotations.bot ?? null,
  };
}

/** The answer's Content-Length when it declared one (a streamed page has none: null). A relayed
 * gateway answer's own count is set after its body went out, which may be after `finish`: its
 * Content-Length is what is known then. */
function contentLength(res: ServerResponse): number | null {
  const value = res.getHeader("content-length");
  const length = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(length) ? length : null;
}
