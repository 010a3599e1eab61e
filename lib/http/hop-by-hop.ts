// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and never cross a proxy, in
// either direction; nor do the headers a Connection header names.
import type { IncomingHttpHeaders } from "node:http";

export const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect",
  "http2-settings",
]);

const NONE: ReadonlySet<string> = new Set();
/** Parsed Connection values: clients send the same few ("keep-alive", "close"), so each is parsed once. */
const parsed = new Map<string, ReadonlySet<string>>();

/** The header names a Connection header lists, lower-cased. */
export function connectionListed(headers: Record<string, unknown>): ReadonlySet<string> {
  const value = headers["connection"];
  if (value === undefined) return NONE;
  const text = Array.isArray(value) ? value.join(",") : typeof value === "string" ? value : "";
  let listed = parsed.get(text);
  if (!listed) {
    listed = new Set(
      text
        .split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    );
    if (parsed.size >= 256) parsed.clear(); // bounded: odd values from odd clients
    parsed.set(text, listed);
  }
  return listed;
}

/** `headers` without the hop-by-hop ones. */
export function hopByHopFree(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}
