// GET /oauth/callback: Okta's redirect back. The state must name a delegation this browser
// started and not yet finished (else an error page, nothing stored); then the code is
// exchanged and the id token verified, kept encrypted, and the user goes to the consent page
// — or straight back to the client with a code (or implicit token) when an admin marked the
// app first-party or the user already allowed these scopes (unless prompt=consent).
import { OAuthError } from "../errors.ts";
import { readCookie, type AuthorizeEnvironment } from "./environment.ts";
import { grantAuthorization, keepIdToken } from "./grant.ts";
import { DelegationError, finishDelegation, StaleAuthenticationError } from "./okta-delegation.ts";
import { consentCovers } from "./remembered-consent.ts";
import type { AuthorizationRequest } from "./request.ts";
import { answerClient, errorAnswer, errorPage, redirect } from "./responses.ts";
import { BINDING_COOKIE, claimDelegation, saveConsent } from "./transactions.ts";

/** What Okta answers to prompt=none when it would have had to show a page. */
const INTERACTION_ERRORS = new Set(["login_required", "interaction_required", "consent_required", "account_selection_required"]);

/** Defaults for a request remembered by a version without these fields (a rolling upgrade). */
const REMEMBERED_BY_AN_OLDER_VERSION: Pick<AuthorizationRequest, "responseType" | "responseMode" | "prompt" | "maxAge" | "loginHint"> = {
  responseType: "code",
  responseMode: "query",
  prompt: [],
  maxAge: null,
  loginHint: null,
};

export async function oktaCallback(request: Request, env: AuthorizeEnvironment): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const state = params.getAll("state");
  const binding = readCookie(request, BINDING_COOKIE);
  const delegation = state.length === 1 ? await claimDelegation(env.store, state[0]!, binding) : null;
  if (!delegation) return errorPage(400, "invalid_request", "This sign-in response is unknown, expired or was already used.");
  const authz: AuthorizationRequest = { ...REMEMBERED_BY_AN_OLDER_VERSION, ...delegation.request };

  const toClient = (error: OAuthError) => answerClient(errorAnswer(authz.client.redirectUri, error, authz.state, authz.responseMode), env.issuer, 302);

  if (params.has("error")) {
    // The user is known to this browser: the client hears that access was not granted — with
    // prompt=none, that the user must sign in (Okta had no session, or wanted to show a page).
    if (authz.prompt.includes("none") && INTERACTION_ERRORS.has(params.get("error")!)) {
      return toClient(new OAuthError("login_required", "The user is not signed in at the identity provider."));
    }
    return toClient(new OAuthError("access_denied", "The user was not signed in at the identity provider."));
  }

  let login;
  try {
    login = await finishDelegation(env.okta, env.callbackUrl, params, delegation.okta, authz.maxAge);
  } catch (error) {
    if (error instanceof StaleAuthenticationError) {
      env.log.warn({ err: error }, "Okta sign-in older than max_age");
      return toClient(new OAuthError("login_required", "The user's authentication is older than max_age allows."));
    }
    if (error instanceof DelegationError) {
      env.log.warn({ err: error }, "Okta sign-in response rejected");
      return errorPage(400, "invalid_request", "The identity provider's response could not be verified.");
    }
    env.log.error({ err: error }, "Okta code exchange failed");
    return errorPage(502, "temporarily_unavailable", "The identity provider cannot be reached. Try again later.");
  }

  const idTokenRecordId = await keepIdToken(env.db, login, env.encryptionKey);
  const consented = authz.client.skipConsent || (!authz.prompt.includes("consent") && (await consentCovers(env.db, authz.client.appId, login.sub, authz.scope)));
  if (consented) return answerClient(await grantAuthorization(env.db, authz, login.sub, idTokenRecordId), env.issuer, 302);
  if (authz.prompt.includes("none")) return toClient(new OAuthError("consent_required", "The user has not allowed this app these scopes."));
  const consentId = await saveConsent(env.store, binding!, { request: authz, userSub: login.sub, idTokenRecordId });
  return redirect(`${env.issuer}/oauth/consent?id=${encodeURIComponent(consentId)}`, 302);
}
