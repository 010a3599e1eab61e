// Scope policy: a client gets at most what its approved products grant; asking
// for more is invalid_scope. Without a scope parameter it gets everything it may have.
import { invalidScope } from "./errors.ts";

export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** The distinct scope tokens of a scope value, or null when it holds none or a malformed one.
 * Extra spaces between tokens are tolerated, as they always were here. */
export function scopeTokens(value: string): string[] | null {
  const tokens = value.split(" ").filter(Boolean);
  if (!tokens.length || tokens.some((s) => !SCOPE_TOKEN.test(s))) return null;
  return [...new Set(tokens)];
}

/** A scope stored by Gatehouse itself (a code's, a refresh token's): empty means none. */
export function parseScope(value: string | undefined): string[] {
  if (!value) return [];
  const scopes = scopeTokens(value);
  if (scopes === null) throw invalidScope("Malformed scope.");
  return scopes;
}

/** The granted scope string, or invalid_scope naming what is not allowed. */
export function grantScopes(requested: readonly string[], allowed: Set<string>, { allowOidc }: { allowOidc: boolean }): string {
  const permitted = (s: string) => allowed.has(s) || (allowOidc && OIDC_SCOPES.has(s));
  const refused = requested.filter((s) => !permitted(s));
  if (refused.length) throw invalidScope(`Not granted to this app: ${refused.join(" ")}.`);
  return (requested.length ? requested : [...allowed]).join(" ");
}
