// Gatehouse as Okta's relying party: the end user signs in at Okta (authorization code + PKCE +
// state + nonce, with the delegation client), and the id token Okta returns is verified by
// openid-client against Okta's JWKS (cached; refetched on an unknown kid): signature, iss, aud,
// exp, iat and nonce. The issuer's metadata is discovered once per process.
import * as oidc from "openid-client";
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
  /** The app the user signs in for, named on okta-dev's sign-in page; Okta ignores the parameter. */
  appName?: string;
}

/** okta-dev shows at most this many characters of the app's name. */
const MAX_APP_NAME = 80;

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
/** How long one request to Okta may take: a login step ends on an error page, never hangs. */
const OKTA_TIMEOUT_S = 3.5;

/** The delegation client's configuration: Okta's metadata, discovered once per process. */
export async function delegationConfig(settings: Pick<OktaSettings, "issuer" | "delegationClient">): Promise<oidc.Configuration> {
  const { issuer, delegationClient: client } = settings;
  const cacheKey = `${CACHE}:${issuer}:${client.clientId}`;
  const pending = sharedInstance(cacheKey, () =>
    oidc.discovery(new URL(issuer), client.clientId, { id_token_signed_response_alg: "RS256" }, oidc.ClientSecretBasic(client.clientSecret), {
      timeout: OKTA_TIMEOUT_S,
      execute: [
        // id tokens come over TLS from Okta's token endpoint, which openid-client takes as proof
        // enough; Gatehouse checks the signature against Okta's JWKS all the same
        oidc.enableNonRepudiationChecks,
        // openid-client speaks only https unless told; an http issuer is one the operator
        // configured (okta-dev on 127.0.0.1 in development and tests)
        ...(new URL(issuer).protocol === "http:" ? [oidc.allowInsecureRequests] : []),
      ],
    }),
  );
  try {
    return await pending;
  } catch (error) {
    takeSharedInstance(cacheKey); // discovery failed: try again next time
    throw error;
  }
}

/** openid-client's codes for "Okta could not be asked": too slow, or no OAuth answer at all (a 5xx page). */
const UNREACHABLE = new Set(["OAUTH_TIMEOUT", "OAUTH_ABORT", "OAUTH_RESPONSE_IS_NOT_CONFORM"]);

/**
 * Okta refused (an OAuth error) or its answer failed a check. Everything else — unreachable
 * (fetch's TypeError), too slow, an unexpected failure — is not about the user's sign-in.
 */
function isRejectedAnswer(error: unknown): error is Error {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) return true;
  return error instanceof oidc.ClientError && error.code !== undefined && !UNREACHABLE.has(error.code);
}

export async function startDelegation(settings: Pick<OktaSettings, "issuer" | "delegationClient">, callbackUrl: string, options: SignInOptions = {}): Promise<DelegationStart> {
  const config = await delegationConfig(settings);
  const okta = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
  const url = oidc.buildAuthorizationUrl(config, {
    scope: OKTA_SCOPE,
    redirect_uri: callbackUrl,
    state: okta.state,
    nonce: okta.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(okta.codeVerifier),
    code_challenge_method: "S256",
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.maxAge !== undefined && options.maxAge !== null ? { max_age: String(options.maxAge) } : {}),
    ...(options.loginHint ? { login_hint: options.loginHint } : {}),
    ...(options.appName ? { gatehouse_app_name: [...options.appName].slice(0, MAX_APP_NAME).join("") } : {}),
  });
  return { url: url.href, okta };
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
  const config = await delegationConfig(settings);
  let tokens;
  try {
    // with a nonce expected, an id token is required, and its iss, sub, aud, exp, iat and nonce checked
    tokens = await oidc.authorizationCodeGrant(config, new URL(`${callbackUrl}?${params}`), {
      expectedState: okta.state,
      expectedNonce: okta.nonce,
      pkceCodeVerifier: okta.codeVerifier,
    });
  } catch (error) {
    if (isRejectedAnswer(error)) throw new DelegationError(`Okta's answer was rejected: ${error.message}`, { cause: error });
    throw error;
  }
  const claims = tokens.claims();
  if (!claims || !tokens.id_token) throw new DelegationError("Okta returned no id token.");
  const authTime = typeof claims.auth_time === "number" ? claims.auth_time : null;
  // max_age is checked when Okta says when it authenticated the user; without auth_time
  // there is nothing to check (openid-client's own max_age check would refuse the login).
  if (maxAge !== null && authTime !== null && now / 1000 - authTime > maxAge + AUTH_TIME_SKEW_S) {
    throw new StaleAuthenticationError(`Okta authenticated the user ${Math.round(now / 1000 - authTime)} s ago; max_age is ${maxAge}.`);
  }
  return { sub: claims.sub, idToken: tokens.id_token, expiresAt: new Date(claims.exp * 1000), authTime: authTime === null ? null : new Date(authTime * 1000) };
}
