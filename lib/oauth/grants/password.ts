// password (RFC 6749 §4.3) — RFC 9700 says it MUST NOT be used; it exists because the seed's
// demo asks for it, and stays off unless an admin enables it for one app. Mode okta_authn:
// Okta checks the credentials (Authentication API) and Gatehouse mints its own token for the
// user. Failures are one indistinguishable invalid_grant, and repeated ones are throttled.
import { checkPasswordWithOkta } from "../../okta/authn.ts";
import type { OktaSettings } from "../../okta/settings.ts";
import { OAuthError, invalidGrant } from "../errors.ts";
import { grantScopes, parseScope } from "../scopes.ts";
import { issueTokens } from "../tokens/issue.ts";
import type { Grant } from "./types.ts";

const FAILURES = { limit: 10, windowMs: 5 * 60_000 };
const INVALID = "The credentials provided were invalid.";

export function passwordGrant(okta: () => OktaSettings): Grant {
  return {
    grantType: "password",
    required: ["username", "password"],
    allowsPublicClients: false,
    async handle({ db, store, client, form, now }) {
      if (client.passwordGrantMode !== "okta_authn") {
        throw new OAuthError("unauthorized_client", "This app's password grant mode is not available in this version.");
      }
      const scope = grantScopes(parseScope(form.scope), client.allowedScopes, { allowOidc: true });
      const key = `oauth:password-failures:${client.appId}:${form.username!.toLowerCase()}`;
      const failures = Number((await store.get(key).catch(() => null)) ?? 0);
      if (failures >= FAILURES.limit) {
        throw new OAuthError("invalid_grant", "Too many failed attempts; try again later.", { "retry-after": String(FAILURES.windowMs / 1000) }, 429);
      }
      const check = await checkPasswordWithOkta(okta(), form.username!, form.password!);
      switch (check.outcome) {
        case "success":
          return issueTokens(db, {
            client, grantType: "password", scope, userSub: check.userId, idTokenRecordId: null,
            refresh: client.grantTypes.has("refresh_token") ? {} : undefined,
          }, now);
        case "mfa_required":
          throw invalidGrant("This user must complete multi-factor authentication, which the password grant cannot do; use the authorization code flow.");
        case "unavailable":
          throw new OAuthError("temporarily_unavailable", "The identity provider cannot be reached; try again later.", {}, 503);
        default:
          await store.increment(key, 1, FAILURES.windowMs).catch(() => undefined);
          throw invalidGrant(INVALID); // unknown user, wrong password and locked-out look the same
      }
    },
  };
}
