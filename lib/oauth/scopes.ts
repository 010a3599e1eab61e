// Scope policy: a client gets at most what its approved products grant; asking
// for more is invalid_scope. Without a scope parameter it gets everything it may have.
import { invalidScope } from "./errors.ts";

export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

export function parseScope(value: string | undefined): string[] {
  if (!value) return [];
  const scopes = value.split(" ").filter(Boolean);
  if (scopes.some((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) throw invalidScope("Malformed scope.");
  return [...new Set(scopes)];
}

/** The granted scope string, or invalid_scope naming what is not allowed. */
export function grantScopes(requested: string[], allowed: Set<string>, { allowOidc }: { allowOidc: boolean }): string {
  const permitted = (s: string) => allowed.has(s) || (allowOidc && OIDC_SCOPES.has(s));
  const refused = requested.filter((s) => !permitted(s));
  if (refused.length) throw invalidScope(`Not granted to this app: ${refused.join(" ")}.`);
  return (requested.length ? requested : [...allowed]).join(" ");
}
