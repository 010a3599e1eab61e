// Asking Okta itself for a user's tokens with the password grant (Gatehouse's password grant,
// mode okta_token): Gatehouse's delegation client calls Okta's token endpoint, and the id token
// that comes back is verified like the one from the code flow (signature against Okta's JWKS,
// iss, aud, exp, iat) before anything is stored.
import { errors, type TokenSet } from "openid-client";
import { delegationClient, OKTA_SCOPE } from "../oauth/authorize/okta-delegation.ts";
import type { OktaSettings } from "./settings.ts";

export type OktaPasswordTokens =
  | { outcome: "success"; accessToken: string; expiresIn: number; userSub: string; idToken: string; idTokenExpiresAt: Date; authTime: Date }
  /** Okta's sign-on policy refused (a second factor is required, or the app may not do this). */
  | { outcome: "policy_denied" }
  | { outcome: "invalid" | "unavailable" };

interface IdTokenValidator {
  validateIdToken(tokens: TokenSet, nonce: undefined, returnedBy: "token", maxAge: undefined): Promise<unknown>;
}

/** The delegation client needs a redirect URI to exist; this grant never redirects. */
const NO_REDIRECT = "urn:gatehouse:password-grant";

export async function passwordTokensFromOkta(okta: Pick<OktaSettings, "issuer" | "delegationClient">, username: string, password: string): Promise<OktaPasswordTokens> {
  try {
    const client = await delegationClient(okta, NO_REDIRECT);
    const tokens = await client.grant({ grant_type: "password", username, password, scope: OKTA_SCOPE });
    if (!tokens.access_token || !tokens.id_token) return { outcome: "unavailable" };
    // the same checks openid-client runs on a refreshed token set (public at runtime, not in its types)
    await (client as unknown as IdTokenValidator).validateIdToken(tokens, undefined, "token", undefined);
    const claims = tokens.claims();
    return {
      outcome: "success",
      accessToken: tokens.access_token,
      expiresIn: Math.max(1, Number(tokens.expires_in ?? 0) || 3600),
      userSub: claims.sub,
      idToken: tokens.id_token,
      idTokenExpiresAt: new Date(claims.exp * 1000),
      authTime: new Date((typeof claims.auth_time === "number" ? claims.auth_time : claims.iat) * 1000),
    };
  } catch (error) {
    if (error instanceof errors.OPError) {
      if (error.error === "invalid_grant") return { outcome: "invalid" };
      if (error.error === "access_denied") return { outcome: "policy_denied" };
    }
    // Okta unreachable, a malformed answer, or an id token that failed verification: not the
    // user's fault, and nothing is issued.
    return { outcome: "unavailable" };
  }
}
