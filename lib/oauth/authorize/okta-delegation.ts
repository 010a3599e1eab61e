// Gatehouse as Okta's relying party: the end user signs in at Okta (authorization code + PKCE +
// state + nonce, with the delegation client), and the id token Okta returns is verified by
// openid-client against Okta's JWKS (cached; refetched on an unknown kid): signature, iss, aud,
// exp, iat and nonce. The issuer's metadata is discovered once per process.
import { Issuer, errors, generators, type Client } from "openid-client";
import type { OktaSettings } from "../../okta/settings.ts";
import { sharedInstance, takeSharedInstance } from "../../runtime/shared-instance.ts";

export const OKTA_SCOPE = "openid profile email";

export interface DelegationStart {
  url: string;
  okta: { state: string; nonce: string; codeVerifier: string };
}

export interface VerifiedLogin {
  sub: string;
  idToken: string;
  expiresAt: Date;
  /** When Okta authenticated the user (auth_time), when it says. */
  authTime: Date | null;
}

/** What the client asked of the sign-in itself, passed on to Okta (OIDC Core §3.1.2.1). */
export interface SignInOptions {
  /** none: no page at all (login_required without a session); login: sign in again. */
  prompt?: "none" | "login";
  maxAge?: number | null;
  loginHint?: string | null;
}

/** Okta signed the user in longer ago than the client's max_age allows. */
export class StaleAuthenticationError extends Error {
  override name = "StaleAuthenticationError";
}

/** Leeway for clocks when comparing auth_time with max_age. */
const AUTH_TIME_SKEW_S = 60;

/** Thrown when Okta's answer must not be trusted (the user sees an error page). */
export class DelegationError extends Error {
  override name = "DelegationError";
}

const CACHE = "okta-delegation-client";

export async function delegationClient(settings: Pick<OktaSettings, "issuer" | "delegationClient">, callbackUrl: string): Promise<Client> {
  const cacheKey = `${CACHE}:${settings.issuer}:${settings.delegationClient.clientId}:${callbackUrl}`;
  const pending = sharedInstance(cacheKey, async () => {
    const issuer = await Issuer.discover(settings.issuer);
    return new issuer.Client({
      client_id: settings.delegationClient.clientId,
      client_secret: settings.delegationClient.clientSecret,
      redirect_uris: [callbackUrl],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    });
  });
  try {
    return await pending;
  } catch (error) {
    takeSharedInstance(cacheKey); // discovery failed: try again next time
    throw error;
  }
}

export async function startDelegation(settings: Pick<OktaSettings, "issuer" | "delegationClient">, callbackUrl: string, options: SignInOptions = {}): Promise<DelegationStart> {
  const client = await delegationClient(settings, callbackUrl);
  const okta = { state: generators.state(), nonce: generators.nonce(), codeVerifier: generators.codeVerifier() };
  const url = client.authorizationUrl({
    scope: OKTA_SCOPE,
    redirect_uri: callbackUrl,
    state: okta.state,
    nonce: okta.nonce,
    code_challenge: generators.codeChallenge(okta.codeVerifier),
    code_challenge_method: "S256",
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.maxAge !== undefined && options.maxAge !== null ? { max_age: options.maxAge } : {}),
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
  });
  return { url, okta };
}

/** Exchanges Okta's code and verifies the id token; throws DelegationError on anything off. */
export async function finishDelegation(
  settings: Pick<OktaSettings, "issuer" | "delegationClient">,
  callbackUrl: string,
  params: URLSearchParams,
  okta: DelegationStart["okta"],
  maxAge: number | null = null,
  now = Date.now(),
): Promise<VerifiedLogin> {
  const client = await delegationClient(settings, callbackUrl);
  let tokens;
  try {
    tokens = await client.callback(callbackUrl, client.callbackParams(`${callbackUrl}?${params}`), {
      state: okta.state,
      nonce: okta.nonce,
      code_verifier: okta.codeVerifier,
      response_type: "code",
    });
  } catch (error) {
    // RPError: the response or id token failed a check; OPError: Okta refused the exchange.
    // Anything else (network) is not the user's fault and propagates.
    if (error instanceof errors.RPError || error instanceof errors.OPError) {
      throw new DelegationError(`Okta's answer was rejected: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (!tokens.id_token) throw new DelegationError("Okta returned no id token.");
  const claims = tokens.claims();
  if (!claims.sub) throw new DelegationError("Okta's id token has no subject.");
  const authTime = typeof claims.auth_time === "number" ? claims.auth_time : null;
  // max_age is checked when Okta says when it authenticated the user; without auth_time
  // there is nothing to check (openid-client's own max_age check would refuse the login).
  if (maxAge !== null && authTime !== null && now / 1000 - authTime > maxAge + AUTH_TIME_SKEW_S) {
    throw new StaleAuthenticationError(`Okta authenticated the user ${Math.round(now / 1000 - authTime)} s ago; max_age is ${maxAge}.`);
  }
  return { sub: claims.sub, idToken: tokens.id_token, expiresAt: new Date(claims.exp * 1000), authTime: authTime === null ? null : new Date(authTime * 1000) };
}
