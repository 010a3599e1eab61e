// Verifying a JWT that Okta signed (an access token of a custom authorization server, or an id
// token): signature against the issuer's JWKS (key-set.ts, outage tolerant), iss, aud, exp,
// nbf and iat, with one rule for algorithms and clock skew wherever Gatehouse trusts Okta.
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { sharedInstance } from "../runtime/shared-instance.ts";
import { oktaKeySetsByIssuer } from "./key-set.ts";

/** Okta signs with RS256; the others are what a custom authorization server may be set to. */
export const OKTA_JWT_ALGORITHMS = ["RS256", "ES256", "PS256"];
/** Seconds of clock skew allowed on exp, nbf and iat. */
export const OKTA_CLOCK_TOLERANCE_S = 5;

export interface OktaJwtExpectations {
  issuer: string;
  audience: string;
  /** Verification time (tests); now when absent. */
  currentDate?: Date;
}

/**
 * The claims of an Okta-signed JWT, or a jose error (a verdict on the token) or
 * OktaKeysUnavailable (Okta's keys could not be fetched: not a verdict).
 */
export async function verifyOktaIssuedJwt(token: string, keys: JWTVerifyGetKey, expected: OktaJwtExpectations): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, keys, {
    issuer: expected.issuer,
    audience: expected.audience,
    algorithms: OKTA_JWT_ALGORITHMS,
    clockTolerance: OKTA_CLOCK_TOLERANCE_S,
    requiredClaims: ["exp"],
    ...(expected.currentDate ? { currentDate: expected.currentDate } : {}),
  });
  // jose checks iat only against maxTokenAge; a token "issued" in the future is refused here
  const now = (expected.currentDate?.getTime() ?? Date.now()) / 1000;
  if (typeof payload.iat === "number" && payload.iat > now + OKTA_CLOCK_TOLERANCE_S) {
    throw new errors.JWTClaimValidationFailed('"iat" claim timestamp check failed (it should be in the past)', payload, "iat", "check_failed");
  }
  return payload;
}

/** The process's key sets by issuer, for verifiers outside the gateway (which keeps its own). */
export function sharedOktaKeySets(): (issuer: string) => JWTVerifyGetKey {
  return sharedInstance("okta-key-sets", () => oktaKeySetsByIssuer());
}
