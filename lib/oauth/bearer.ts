// Bearer tokens as resource servers receive them (RFC 6750): the Authorization header only
// (scheme case-insensitive); a token in the URL is refused because URLs end up in logs. DPoP-bound
// tokens come with the DPoP scheme instead (RFC 9449 §7.1).
import type { IncomingMessage } from "node:http";

export type BearerResult = { token: string } | { error: "missing" | "malformed" | "in_query" };

export function bearerFrom(req: Pick<IncomingMessage, "url" | "headers">): BearerResult {
  const url = req.url ?? "";
  if (/[?&]access_token=/.test(url)) return { error: "in_query" };
  const header = req.headers.authorization;
  if (!header) return { error: "missing" };
  const match = header.match(/^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i);
  return match ? { token: match[1]! } : { error: "malformed" };
}

export type PresentedToken = { scheme: "bearer" | "dpop"; token: string };
export type AccessTokenResult = PresentedToken | { error: "missing" | "malformed" | "in_query" };

/** The access token of a resource request: `Bearer` (RFC 6750) or `DPoP` (RFC 9449 §7.1), schemes case-insensitive. */
export function accessTokenFrom(req: IncomingMessage): AccessTokenResult {
  const url = req.url ?? "";
  if (/[?&]access_token=/.test(url)) return { error: "in_query" };
  const header = req.headers.authorization;
  if (!header) return { error: "missing" };
  const match = header.match(/^(bearer|dpop) +([A-Za-z0-9\-._~+/]+=*) *$/i);
  if (!match) return { error: "malformed" };
  return { scheme: match[1]!.length === 4 ? "dpop" : "bearer", token: match[2]! };
}

/** RFC 6750 §3 challenge. */
export function bearerChallenge(realm: string, error?: "invalid_request" | "invalid_token" | "insufficient_scope", description?: string, scope?: string): string {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, "")}"`);
  if (scope) parts.push(`scope="${scope}"`);
  return `Bearer ${parts.join(", ")}`;
}

/** The challenge for a request that carried no token at all, where both schemes are accepted:
 * one Bearer and one DPoP challenge (RFC 9449 §7.1), so a client learns it may use either. */
export function tokenRequiredChallenge(realm: string, algs: readonly string[]): string {
  return `${bearerChallenge(realm)}, ${dpopChallenge(realm, algs)}`;
}

/** RFC 9449 §7.1 challenge: the DPoP scheme with the algorithms a proof may use. */
export function dpopChallenge(realm: string, algs: readonly string[], error?: string, description?: string): string {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, "")}"`);
  parts.push(`algs="${algs.join(" ")}"`);
  return `DPoP ${parts.join(", ")}`;
}
