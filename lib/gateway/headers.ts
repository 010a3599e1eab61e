// Headers between the caller and the upstream: hop-by-hop headers (RFC 9110 §7.6.1) never
// cross the gateway in either direction, nor do the headers a Connection header names.
// Inbound X-Gatehouse-* headers are the gateway's own and are dropped, so a caller cannot
// pretend to be a user or an app.
import type { IncomingHttpHeaders } from "node:http";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "expect", "http2-settings"]);

function connectionListed(headers: Record<string, unknown>): Set<string> {
  const value = headers["connection"];
  const text = Array.isArray(value) ? value.join(",") : typeof value === "string" ? value : "";
  return new Set(text.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/** The caller's headers as they may go upstream (host is set by the upstream client). */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || name === "host" || name.startsWith("x-gatehouse-")) continue;
    out[name] = value;
  }
  return out;
}

/** The upstream's response headers as they may go to the caller. */
export function callerResponseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = connectionListed(upstream);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}
