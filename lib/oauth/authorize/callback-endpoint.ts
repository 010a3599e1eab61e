// GET /oauth/callback: Okta's redirect back. The state must name a delegation this browser
// started and not yet finished (else an error page, nothing stored); then the code is
// exchanged and the id token verified, kept encrypted, and the user goes to the consent page
// — or straight back to the client with a code when an admin marked the app first-party.
import { OAuthError } from "../errors.ts";
import { readCookie, type AuthorizeEnvironment } from "./environment.ts";
import { grantCode, keepIdToken } from "./grant.ts";
import { DelegationError, finishDelegation } from "./okta-delegation.ts";
import { errorPage, errorRedirectUrl, redirect } from "./responses.ts";
import { BINDING_COOKIE, claimDelegation, saveConsent } from "./transactions.ts";

export async function oktaCallback(request: Request, env: AuthorizeEnvironment): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const state = params.getAll("state");
  const binding = readCookie(request, BINDING_COOKIE);
  const delegation = state.length === 1 ? await claimDelegation(env.store, state[0]!, binding) : null;
  if (!delegation) return errorPage(400, "invalid_request", "This sign-in response is unknown, expired or was already used.");
  const authz = delegation.request;

  if (params.has("error")) {
    // The user is known to this browser: the client hears that access was not granted.
    const denied = new OAuthError("access_denied", "The user was not signed in at the identity provider.");
    return redirect(errorRedirectUrl(authz.client.redirectUri, env.issuer, denied, authz.state), 302);
  }

  let login;
  try {
    login = await finishDelegation(env.okta, env.callbackUrl, params, delegation.okta);
  } catch (error) {
    if (error instanceof DelegationError) {
      env.log.warn({ err: error }, "Okta sign-in response rejected");
      return errorPage(400, "invalid_request", "The identity provider's response could not be verified.");
    }
    env.log.error({ err: error }, "Okta code exchange failed");
    return errorPage(502, "temporarily_unavailable", "The identity provider cannot be reached. Try again later.");
  }

  const idTokenRecordId = await keepIdToken(env.db, login, env.encryptionKey);
  if (authz.client.skipConsent) {
    return redirect(await grantCode(env.db, env.issuer, authz, login.sub, idTokenRecordId), 302);
  }
  const consentId = await saveConsent(env.store, binding!, { request: authz, userSub: login.sub, idTokenRecordId });
  return redirect(`${env.issuer}/oauth/consent?id=${encodeURIComponent(consentId)}`, 302);
}
