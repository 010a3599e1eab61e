// Asking Okta itself for a user's tokens with the password grant (Gatehouse's password grant,
// mode okta_token): Gatehouse's delegation client calls Okta's token endpoint, and the id token
// that comes back is verified like the one from the code flow (signature against Okta's JWKS,
// iss, aud, exp, iat) before anything is stored.
import { genericGrantRequest, ResponseBodyError } from "openid-client";
import { delegationConfig, OKTA_SCOPE } from "../oauth/authorize/okta-delegation.ts";
import type { OktaSettings } from "./settings.ts";

export type OktaPasswordTokens =
  | { outcome: "success"; accessToken: string; expiresIn: number; userSub: string; idToken: string; idTokenExpiresAt: Date; authTime: Date }
  /** Okta's sign-on policy refused (a second factor is required, or the app may not do this). */
  | { outcome: "policy_denied" }
  | { outcome: "invalid" | "unavailable" };

export async function passwordTokensFromOkta(okta: Pick<OktaSettings, "issuer" | "delegationClient">, username: string, password: string): Promise<OktaPasswordTokens> {
  try {
    const tokens = await genericGrantRequest(await delegationConfig(okta), "password", { username, password, scope: OKTA_SCOPE });
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) return { outcome: "unavailable" };
    return {
      outcome: "success",
      accessToken: tokens.access_token,
      expiresIn: Math.max(1, tokens.expires_in || 3600),
      userSub: claims.sub,
      idToken: tokens.id_token,
      idTokenExpiresAt: new Date(claims.exp * 1000),
      authTime: new Date((typeof claims.auth_time === "number" ? claims.auth_time : claims.iat) * 1000),
    };
  } catch (error) {
    if (error instanceof ResponseBodyError) {
      if (error.error === "invalid_grant") return { outcome: "invalid" };
      if (error.error === "access_denied") return { outcome: "policy_denied" };
    }
    // Okta unreachable, a malformed answer, or an id token that failed verification: not the
    // user's fault, and nothing is issued.
    return { outcome: "unavailable" };
  }
}
