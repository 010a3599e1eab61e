// GET /oauth/authorize: validates the request (or claims the pushed one it names), remembers it
// server-side (bound to this browser) and sends the user to Okta to sign in (with the client's prompt, max_age and
// login_hint where they concern the sign-in, and the app's name for the sign-in page).
import { parseAuthorizationRequest, RedirectableError } from "./request.ts";
import { UntrustedRequestError } from "./client.ts";
import { startDelegation } from "./okta-delegation.ts";
import { answerClient, errorAnswer, errorPage, redirect } from "./responses.ts";
import { bindingCookie, BINDING_COOKIE, browserBinding, saveDelegation } from "./transactions.ts";
import { readCookie, type AuthorizeEnvironment } from "./environment.ts";
import { OAuthError } from "../errors.ts";

export async function authorize(request: Request, env: AuthorizeEnvironment): Promise<Response> {
  const params = new URL(request.url).searchParams;
  let parsed;
  try {
    parsed = await parseAuthorizationRequest(env, params);
  } catch (error) {
    if (error instanceof UntrustedRequestError) return errorPage(400, error.code, error.message);
    if (error instanceof RedirectableError) return answerClient(errorAnswer(error.redirectUri, error.error, error.state, error.responseMode), env.issuer, 302);
    throw error;
  }
  let start;
  try {
    // prompt=consent concerns Gatehouse's consent page, not Okta's sign-in
    const prompt = parsed.prompt.includes("none") ? "none" : parsed.prompt.includes("login") ? "login" : undefined;
    start = await startDelegation(env.okta, env.callbackUrl, { prompt, maxAge: parsed.maxAge, loginHint: parsed.loginHint, appName: parsed.client.appName });
  } catch (error) {
    env.log.error({ err: error }, "Okta discovery failed");
    const unavailable = new OAuthError("temporarily_unavailable", "The identity provider cannot be reached.");
    return answerClient(errorAnswer(parsed.client.redirectUri, unavailable, parsed.state, parsed.responseMode), env.issuer, 302);
  }
  const binding = browserBinding(readCookie(request, BINDING_COOKIE));
  await saveDelegation(env.store, binding.value, parsed, start.okta);
  return redirect(start.url, 302, binding.isNew ? [bindingCookie(binding.value, env.secureCookies)] : []);
}
