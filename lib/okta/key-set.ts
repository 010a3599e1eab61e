// Okta's signing keys (JWKS) for everything that verifies Okta-issued JWTs (the gateway's
// verify-okta-jwt, the token endpoint's token exchange), kept through an Okta outage so that
// Okta-issued tokens keep verifying while Okta is unreachable.
// jose's remote key set refetches once its copy is older than cacheMaxAge and throws when
// that fails, which turned every Okta token into a 401 ten minutes into an outage. Here a failed
// fetch falls back to the last keys Okta served (its keys rotate rarely, with overlap), and
// Okta is not asked again for `retryAfterFailureMs`, so calls do not each wait for a silent
// Okta. With no keys at all the caller gets OktaKeysUnavailable (a 503, not a verdict on the
// token), and Okta is asked on every call so that the gateway recovers as soon as it answers.
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { perObject } from "../runtime/per-object.ts";

export class OktaKeysUnavailable extends Error {
  override name = "OktaKeysUnavailable";
}

export interface OktaKeySetOptions {
  timeoutMs?: number;
  cacheMaxAgeMs?: number;
  retryAfterFailureMs?: number;
}

/** Fetching or reading the key set failed (as opposed to: the token names a key it lacks). */
function isFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof TypeError) return true; // fetch: refused, reset, DNS
  // non-200 answer or a body that is not JSON: jose's generic error
  return error instanceof errors.JOSEError && error.code === "ERR_JOSE_GENERIC";
}

export function oktaKeySet(url: URL, options: OktaKeySetOptions = {}): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, { timeoutDuration: options.timeoutMs ?? 3_000, cooldownDuration: 30_000, cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000 });
  const retryAfterFailureMs = options.retryAfterFailureMs ?? 30_000;
  let failedAt = Number.NEGATIVE_INFINITY;

  // one local key set per key list Okta served, so an outage imports each key once, not per call
  const localSetOf = perObject((jwks: JSONWebKeySet) => createLocalJWKSet(jwks));
  const lastKnown: JWTVerifyGetKey = (header, token) => {
    const jwks = remote.jwks();
    if (!jwks) throw new OktaKeysUnavailable(`Okta's keys (${url}) could not be fetched`);
    return localSetOf(jwks)(header, token);
  };

  return async (header, token) => {
    if (remote.jwks() && performance.now() - failedAt < retryAfterFailureMs) return lastKnown(header, token);
    try {
      return await remote(header, token);
    } catch (error) {
      if (!isFetchFailure(error)) throw error;
      failedAt = performance.now();
      return lastKnown(header, token);
    }
  };
}

/** One key set per issuer, made on first use and kept for every call. */
export function oktaKeySetsByIssuer(options: OktaKeySetOptions = {}): (issuer: string) => JWTVerifyGetKey {
  const keySets = new Map<string, JWTVerifyGetKey>();
  return (issuer) => {
    let keys = keySets.get(issuer);
    // Okta's custom authorization servers publish their keys at {issuer}/v1/keys.
    if (!keys) keySets.set(issuer, (keys = oktaKeySet(new URL(`${issuer}/v1/keys`), options)));
    return keys;
  };
}
