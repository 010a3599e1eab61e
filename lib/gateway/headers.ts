// Headers between the caller and the upstream. Hop-by-hop headers (RFC 9110 §7.6.1) never
// cross the gateway in either direction, nor do the headers a Connection header names.
//
// Backends trust some request headers because a gateway is supposed to own them, so a caller
// must never be able to supply them:
//   - the gateway's own (X-Gatehouse-*, X-Request-Id) and the client-address and forwarding
//     headers it writes itself (Forwarded, X-Forwarded-*, X-Real-IP, True-Client-IP, …):
//     dropped, unless the TCP peer is a trusted proxy (TRUSTED_PROXIES) for the forwarding
//     ones, then replaced by the gateway's own view (forwardingHeaders); trace-context headers
//     (traceparent, b3, …) are kept only from a trusted proxy too (else a caller picks the
//     trace a backend records);
//   - headers that make a backend read another path or method than the one the policies
//     judged (X-Original-URL, X-Rewrite-URL, X-HTTP-Method-Override, …): always dropped;
//   - any of those spelled with "_" or another character in place of "-" (X_Gatehouse_User):
//     CGI-style servers (PHP, WSGI, Rack) read HTTP_X_GATEHOUSE_USER for both spellings.
import type { IncomingHttpHeaders } from "node:http";
import { HOP_BY_HOP, connectionListed, hopByHopFree } from "../http/hop-by-hop.ts";
import { METHOD_OVERRIDE_HEADERS } from "./method-override.ts";

/** Only a trusted proxy may supply these (the client's address, scheme and host as it saw them). */
const FORWARDING = new Set([
  "forwarded",
  "x-real-ip",
  "x-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "fastly-client-ip",
  "x-cluster-client-ip",
  "x-original-forwarded-for",
  "forwarded-for",
  "client-ip",
  "x-originating-ip",
  "x-remote-ip",
  "x-remote-addr",
  "x-proxyuser-ip",
  "x-host",
  "x-original-host",
  // Trace context, in every format a backend or its sidecar may read (W3C, B3, Jaeger, Envoy,
  // AWS X-Ray, Google Cloud, Datadog, SkyWalking, Elastic, gRPC, OpenTracing, baggage): a
  // caller would otherwise choose the trace a backend records, or force it to be sampled. With
  // tracing on the gateway writes its own traceparent (lib/telemetry).
  "traceparent",
  "tracestate",
  "baggage",
  "b3",
  "uber-trace-id",
  "x-client-trace-id",
  "x-amzn-trace-id",
  "x-cloud-trace-context",
  "elastic-apm-traceparent",
  "grpc-trace-bin",
  "sw8",
  "sw8-correlation",
  "sw8-x",
]);
const FORWARDING_PREFIXES = ["x-forwarded", "x-envoy-", "x-b3-", "uberctx-", "x-datadog-", "ot-tracer-", "ot-baggage-"];

/** Never from the caller: they would make the backend read another path or method. */
const OVERRIDES = new Set<string>([...METHOD_OVERRIDE_HEADERS, "x-original-url", "x-rewrite-url", "x-original-uri", "x-override-url"]);

const GATEWAY_PREFIX = "x-gatehouse-";
const NOT_CANONICAL_NAME = /[^a-z0-9-]/;

type Verdict = "keep" | "drop" | "trusted-only";

function verdictOf(name: string): Verdict {
  if (name.startsWith(GATEWAY_PREFIX) || name === "x-request-id" || OVERRIDES.has(name)) return "drop";
  if (FORWARDING.has(name)) return "trusted-only";
  for (const prefix of FORWARDING_PREFIXES) if (name.startsWith(prefix)) return "trusted-only";
  return "keep";
}

function decide(name: string): Verdict {
  const verdict = verdictOf(name);
  if (verdict !== "keep" || !NOT_CANONICAL_NAME.test(name)) return verdict;
  // A look-alike of a protected name is never a trusted proxy's: drop it outright.
  return verdictOf(name.replace(/[^a-z0-9-]/g, "-")) === "keep" ? "keep" : "drop";
}

/** Callers send the same few dozen names call after call: each is decided once (bounded). */
const decided = new Map<string, Verdict>();

/** What happens to an inbound header name (already lower-case, as Node gives it). */
export function inboundHeaderVerdict(name: string): Verdict {
  let verdict = decided.get(name);
  if (verdict === undefined) {
    verdict = decide(name);
    if (decided.size >= 2048) decided.clear();
    decided.set(name, verdict);
  }
  return verdict;
}

/** The caller's headers as they may go upstream (host is set by the upstream client). */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, fromTrustedProxy: boolean): Record<string, string | string[]> {
  const listed = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || name === "host") continue;
    const verdict = inboundHeaderVerdict(name);
    if (verdict === "drop" || (verdict === "trusted-only" && !fromTrustedProxy)) continue;
    out[name] = value;
  }
  return out;
}

export interface ForwardingFacts {
  /** The TCP peer the gateway heard from. */
  peer: string;
  /** The client's address as the gateway establishes it (TRUSTED_PROXIES aware). */
  clientIp: string;
  tls: boolean;
  /** The gateway's public host (PUBLIC_URL), whatever Host the caller sent. */
  publicHost: string;
  /** X-Forwarded-For and Forwarded as a trusted proxy sent them, to append to. */
  trustedForwardedFor?: string | string[];
  trustedForwarded?: string | string[];
}

const joined = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : value);

/** RFC 7239 §6: an IPv6 node is bracketed and quoted. */
const forwardedNode = (address: string) => (address.includes(":") ? `"[${address}]"` : address || "unknown");

/** The gateway's own view of the connection, as the backend reads it. */
export function forwardingHeaders(headers: Record<string, string | string[]>, facts: ForwardingFacts): void {
  const proto = facts.tls ? "https" : "http";
  const chain = joined(facts.trustedForwardedFor);
  headers["x-forwarded-for"] = chain ? `${chain}, ${facts.peer}` : facts.peer; // each proxy appends the peer it heard from
  headers["x-forwarded-proto"] = proto;
  headers["x-forwarded-host"] = facts.publicHost;
  headers["x-real-ip"] = facts.clientIp;
  const forwarded = joined(facts.trustedForwarded);
  const element = `for=${forwardedNode(facts.peer)};host="${facts.publicHost}";proto=${proto}`;
  headers["forwarded"] = forwarded ? `${forwarded}, ${element}` : element;
}

/** The upstream's response headers as they may go to the caller. */
export const callerResponseHeaders = hopByHopFree;
