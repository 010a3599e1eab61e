// Which claims a user carries in id tokens and at /userinfo, in Okta's names, and the scope →
// claims table oidc-provider filters them with.
import type { Directory, StoredUser } from "./directory.ts";
import { randomBase62 } from "./ids.ts";

export const OIDC_SCOPE_CLAIMS = {
  openid: ["sub", "ver", "jti", "idp", "amr", "groups"],
  profile: ["name", "given_name", "family_name", "preferred_username", "nickname", "locale", "zoneinfo", "updated_at"],
  email: ["email", "email_verified"],
  groups: ["groups"],
} as const;

/** Claims every id token carries whatever the scope (oidc-provider's "standalone" claims). */
export const STANDALONE_CLAIMS = ["auth_time", "acr", "sid"];

export const OIDC_SCOPES = ["openid", "profile", "email", "address", "phone", "offline_access", "groups"];

export function userClaims(directory: Directory, user: StoredUser, orgId: string): Record<string, unknown> {
  const { profile } = user;
  return {
    sub: user.id,
    ver: 1,
    jti: `ID.${randomBase62(43)}`,
    idp: orgId,
    name: `${profile.firstName} ${profile.lastName}`.trim(),
    given_name: profile.firstName,
    family_name: profile.lastName,
    preferred_username: profile.login,
    locale: profile.locale,
    zoneinfo: profile.timeZone,
    updated_at: Math.floor(Date.parse(user.lastUpdated) / 1000),
    email: profile.email,
    email_verified: user.emailVerified !== false,
    groups: directory.groupsOf(user.id).map((g) => g.profile.name),
  };
}

/** Keeps only the claims the granted scopes allow, as Okta's /userinfo does. */
export function claimsForScopes(claims: Record<string, unknown>, scopes: string[]): Record<string, unknown> {
  const allowed = new Set<string>();
  for (const scope of scopes) {
    for (const claim of OIDC_SCOPE_CLAIMS[scope as keyof typeof OIDC_SCOPE_CLAIMS] ?? []) allowed.add(claim);
  }
  for (const tokenOnly of ["ver", "jti", "idp", "amr"]) allowed.delete(tokenOnly);
  return Object.fromEntries(Object.entries(claims).filter(([name]) => allowed.has(name)));
}
