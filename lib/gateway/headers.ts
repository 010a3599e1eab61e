// Headers between the caller and the upstream: hop-by-hop headers (RFC 9110 §7.6.1) never
// cross the gateway in either direction, nor do the headers a Connection header names.
// Inbound X-Gatehouse-* headers are the gateway's own and are dropped, so a caller cannot
// pretend to be a user or an app.
import type { IncomingHttpHeaders } from "node:http";
import { HOP_BY_HOP, connectionListed, hopByHopFree } from "../http/hop-by-hop.ts";

/** The caller's headers as they may go upstream (host is set by the upstream client). */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || name === "host" || name.startsWith("x-gatehouse-")) continue;
    out[name] = value;
  }
  return out;
}

/** The upstream's response headers as they may go to the caller. */
export const callerResponseHeaders = hopByHopFree;
