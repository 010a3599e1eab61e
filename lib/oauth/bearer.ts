// Bearer tokens as resource servers receive them (RFC 6750): the Authorization header only
// (scheme case-insensitive); a token in the URL is refused because URLs end up in logs.
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

/** RFC 6750 §3 challenge. */
export function bearerChallenge(realm: string, error?: "invalid_request" | "invalid_token" | "insufficient_scope", description?: string, scope?: string): string {
  const parts = [`realm="${realm}"`];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, "")}"`);
  if (scope) parts.push(`scope="${scope}"`);
  return `Bearer ${parts.join(", ")}`;
}
