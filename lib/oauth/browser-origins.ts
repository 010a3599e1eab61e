// CORS for single-page apps at the token and revocation endpoints: a public client's code runs
// in a browser, on the origin of one of its registered redirect URIs (any port for a loopback
// one, as for the redirect itself). Only that origin may read the answer; confidential clients
// get no CORS at all — their secret has no business in a browser. Their requests are simple
// (form-encoded, no Authorization header) unless they carry a DPoP proof (RFC 9449), which a
// browser sends only after a preflight (preflightHeaders); the answer's DPoP-Nonce is exposed.
import type { IncomingMessage } from "node:http";
import type { OAuthClient } from "./clients.ts";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** The origins a client's redirect URIs allow: exact origins, and loopback hosts on any port. */
export function redirectOrigins(redirectUris: readonly string[]): { exact: Set<string>; loopbackHosts: Set<string> } {
  const exact = new Set<string>();
  const loopbackHosts = new Set<string>();
  for (const uri of redirectUris) {
    if (!URL.canParse(uri)) continue;
    const url = new URL(uri);
    if (url.protocol !== "http:" && url.protocol !== "https:") continue;
    if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) loopbackHosts.add(url.hostname);
    else exact.add(url.origin);
  }
  return { exact, loopbackHosts };
}

export function corsHeadersFor(req: IncomingMessage, client: Pick<OAuthClient, "appType" | "browserOrigins">): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || client.appType !== "public" || !URL.canParse(origin)) return {};
  const url = new URL(origin);
  const allowed = client.browserOrigins.exact.has(origin) || (url.protocol === "http:" && client.browserOrigins.loopbackHosts.has(url.hostname) && url.origin === origin);
  return allowed ? { "access-control-allow-origin": origin, "access-control-expose-headers": "DPoP-Nonce", vary: "Origin" } : {};
}

/** The answer to a CORS preflight at the token and revocation endpoints. The client is not known
 * yet (a preflight has no body): the request may be sent from any origin — a simple POST could
 * be anyway — but only a registered origin reads the answer (corsHeadersFor). */
export function preflightHeaders(req: IncomingMessage): Record<string, string> | null {
  const origin = req.headers.origin;
  if (!origin || !req.headers["access-control-request-method"] || !URL.canParse(origin) || new URL(origin).origin !== origin) return null;
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "POST",
    "access-control-allow-headers": "DPoP, Content-Type",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
