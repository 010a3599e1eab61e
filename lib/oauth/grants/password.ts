// password (RFC 6749 §4.3) — RFC 9700 says it MUST NOT be used; it exists because the seed's
// demo asks for it, and stays off unless an admin enables it for one app, in one of two modes:
//   okta_authn — Okta checks the credentials (Authentication API) and Gatehouse mints its own
//                token for the user;
//   okta_token — Okta's token endpoint mints the token (password grant with Gatehouse's
//                delegation client); Gatehouse keeps it as an external token bound to the app
//                and hands Okta's token to the client.
// Failures are one indistinguishable invalid_grant (unknown user, wrong password, locked out).
// They are counted per username and caller address — past the limit that pair is refused (429)
// before Okta is asked — and per username from every address, which only slows failures down:
// someone failing on purpose cannot stop the user signing in from their own address.
import { z } from "zod";
import { keepIdToken } from "../authorize/grant.ts";
import { checkPasswordWithOkta } from "../../okta/authn.ts";
import { passwordTokensFromOkta } from "../../okta/password-token.ts";
import type { OktaSettings } from "../../okta/settings.ts";
import { FailedAttempts, type FailedAttemptPolicy } from "../../security/failed-attempts.ts";
import { OAuthError, invalidGrant } from "../errors.ts";
import { scopeParameter } from "../parameters.ts";
import { grantScopes } from "../scopes.ts";
import { keepExternalToken } from "../tokens/external-tokens.ts";
import { issueTokens, type TokenResponse } from "../tokens/issue.ts";
import { defineGrant, type Grant, type GrantContext, type GrantParameters } from "./types.ts";

/** 10 guesses per 5 minutes from one address; from many, each failure past 5 in 15 minutes is
 * answered 200 ms later than the last, up to 1.5 s. */
export const FAILED_PASSWORDS: FailedAttemptPolicy = {
  perSource: { limit: 10, windowMs: 5 * 60_000 },
  perSubject: { windowMs: 15 * 60_000, free: 5, stepMs: 200, maxDelayMs: 1_500 },
};
const INVALID = "The credentials provided were invalid.";

const MFA_REQUIRED = "This user must complete multi-factor authentication, which the password grant cannot do; use the authorization code flow.";

const parameters = {
  username: z.string(),
  password: z.string(),
  scope: scopeParameter.optional(),
};
type PasswordParameters = GrantParameters<"password", typeof parameters>;

export function passwordGrant(okta: () => OktaSettings, encryptionKey: () => Buffer): Grant<PasswordParameters> {
  return defineGrant({
    grantType: "password",
    parameters,
    allowsPublicClients: false,
    async handle({ db, store, client, params, now, certificateThumbprint, dpopJkt, callerAddress }) {
      if (client.passwordGrantMode !== "okta_authn" && client.passwordGrantMode !== "okta_token") {
        throw new OAuthError("unauthorized_client", "This app's password grant mode is not available in this version.");
      }
      const scope = grantScopes(params.scope ?? [], client.allowedScopes, { allowOidc: true });
      const username = params.username.trim().toLowerCase(); // Okta logins ignore case
      const failures = new FailedAttempts(store, "oauth:password-failures", FAILED_PASSWORDS);
      const retryAfter = await failures.refusal(username, callerAddress);
      if (retryAfter !== null) {
        throw new OAuthError("invalid_grant", "Too many failed attempts; try again later.", { "retry-after": String(retryAfter) }, 429);
      }
      const countFailure = () => failures.failed(username, callerAddress);
      if (client.passwordGrantMode === "okta_token") {
        // Okta's own token cannot be bound to a key here (it stays a Bearer token)
        if (client.dpopBoundAccessTokens) throw new OAuthError("unauthorized_client", "DPoP-bound tokens are not available in this app's password grant mode.");
        return oktaMintedToken({ db, store, client, params, now, certificateThumbprint, dpopJkt: null, callerAddress }, scope, okta(), encryptionKey(), countFailure);
      }
      const check = await checkPasswordWithOkta(okta(), params.username, params.password);
      switch (check.outcome) {
        case "success":
          return issueTokens(
            db,
            {
              client,
              grantType: "password",
              scope,
              userSub: check.userId,
              idTokenRecordId: null,
              certificateThumbprint,
              dpopJkt,
              refresh: client.grantTypes.has("refresh_token") ? {} : undefined,
            },
            now,
          );
        case "mfa_required":
          throw invalidGrant(MFA_REQUIRED);
        case "unavailable":
          throw new OAuthError("temporarily_unavailable", "The identity provider cannot be reached; try again later.", {}, 503);
        default:
          await countFailure();
          throw invalidGrant(INVALID); // unknown user, wrong password and locked-out look the same
      }
    },
  });
}

/** Mode okta_token: Okta's own access token, kept (hashed) as an external token of this app. */
async function oktaMintedToken(
  { db, client, params, now }: GrantContext<PasswordParameters>,
  scope: string,
  okta: OktaSettings,
  key: Buffer,
  countFailure: () => Promise<unknown>,
): Promise<TokenResponse> {
  const result = await passwordTokensFromOkta(okta, params.username, params.password);
  switch (result.outcome) {
    case "success": {
      await db.$transaction(async (tx) => {
        const idTokenRecordId = await keepIdToken(tx, { sub: result.userSub, idToken: result.idToken, expiresAt: result.idTokenExpiresAt, authTime: result.authTime }, key);
        await keepExternalToken(tx, { value: result.accessToken, issuer: okta.issuer, expiresIn: result.expiresIn, userSub: result.userSub, idTokenRecordId }, client, scope, now);
      });
      return { access_token: result.accessToken, token_type: "Bearer", expires_in: result.expiresIn, scope };
    }
    case "policy_denied":
      throw invalidGrant(`Okta's sign-on policy refused this sign-in. ${MFA_REQUIRED}`);
    case "unavailable":
      throw new OAuthError("temporarily_unavailable", "The identity provider cannot be reached; try again later.", {}, 503);
    default:
      await countFailure();
      throw invalidGrant(INVALID);
  }
}
