// The authorization request (RFC 6749 §4.1.1 and §4.2.1, RFC 7636 §4.3, OIDC's prompt,
// max_age and login_hint, response_mode): client and redirect URI first (failures there are
// shown, not redirected), then everything else, whose failures go back to the client — in the
// fragment once the request is a valid implicit one. The parameters come in the query, or were
// pushed beforehand (RFC 9126) and are named by request_uri. The same reading serves
// /oauth/authorize and /oauth/par. The result is what the rest of the flow carries until a code
// or token is issued.
import { z } from "zod";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import { OAuthError, invalidRequest } from "../errors.ts";
import { parseParameters, scopeParameter } from "../parameters.ts";
import { resolveClient, UntrustedRequestError, type AuthorizingClient } from "./client.ts";
import { checkPkce } from "../pkce.ts";
import { claimPushedRequest } from "./pushed-requests.ts";
import { approvedScopes, resolveScope } from "./scopes.ts";
import type { ResponseMode } from "./responses.ts";

export type Prompt = "none" | "login" | "consent";

export interface AuthorizationRequest {
  client: AuthorizingClient;
  /** code, or token (implicit) for apps an admin enabled it for. */
  responseType: "code" | "token";
  responseMode: ResponseMode;
  prompt: Prompt[];
  /** Seconds since the user's last authentication at Okta that the client accepts. */
  maxAge: number | null;
  loginHint: string | null;
  scope: string;
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | null;
  nonce: string | null;
  /** RFC 9449 §10: the DPoP key the code is bound to (its JWK SHA-256 thumbprint), or null. */
  dpopJkt: string | null;
}

/** A failure after the redirect URI is trusted: sent back to the client. */
export class RedirectableError extends Error {
  override name = "RedirectableError";
  constructor(
    readonly error: OAuthError,
    readonly redirectUri: string,
    readonly state: string | null,
    readonly responseMode: ResponseMode = "query",
  ) {
    super(error.message);
  }
}

const MAX_STATE = 1024;
const MAX_NONCE = 512;
const MAX_LOGIN_HINT = 256;

/** What the request may carry once its client and redirect URI are trusted; anything else is
 * ignored (RFC 6749 §3.1). The first failure, in this order, is the one the client hears of. */
const authorizationParameters = z.object({
  state: z.string().max(MAX_STATE, "state is too long.").optional(),
  response_type: z.string(),
  response_mode: z.enum(["query", "fragment", "form_post"], "response_mode may be query, fragment or form_post.").optional(),
  nonce: z.string().max(MAX_NONCE, "nonce is too long.").optional(),
  prompt: z
    .string()
    .transform((value) => [...new Set(value.split(" ").filter(Boolean))])
    .pipe(z.array(z.enum(["none", "login", "consent"], "prompt may hold none, login and consent.")))
    .refine((prompt) => !prompt.includes("none") || prompt.length === 1, "prompt=none cannot be combined with other values.")
    .optional(),
  max_age: z
    .string()
    .regex(/^\d{1,9}$/, "max_age must be a number of seconds.")
    .transform(Number)
    .optional(),
  login_hint: z.string().max(MAX_LOGIN_HINT, "login_hint is too long.").optional(),
  scope: scopeParameter.optional(),
  code_challenge: z.string().optional(),
  code_challenge_method: z.string().optional(),
  dpop_jkt: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, "dpop_jkt must be the base64url SHA-256 thumbprint of a JWK (RFC 7638).")
    .optional(),
});

/** Every parameter an authorization request is read with: what /oauth/par keeps of a pushed
 * request (the rest would be ignored anyway, RFC 6749 §3.1). */
export const AUTHORIZATION_REQUEST_PARAMETERS: readonly string[] = ["client_id", "redirect_uri", ...Object.keys(authorizationParameters.shape)];

/** The value of a parameter given exactly once. */
const single = (query: URLSearchParams, name: string): string | undefined => {
  const all = query.getAll(name);
  return all.length === 1 ? all[0] : undefined;
};

/** GET /oauth/authorize: the request in the query, or by reference to a pushed one. */
export async function parseAuthorizationRequest(deps: { db: Pick<Database, "credential" | "subscription">; store: Store }, query: URLSearchParams): Promise<AuthorizationRequest> {
  for (const name of ["client_id", "redirect_uri", "request_uri"]) {
    if (query.getAll(name).length > 1) throw new UntrustedRequestError("invalid_request", `The ${name} parameter is repeated.`);
  }
  const requestUri = single(query, "request_uri");
  if (requestUri) return parsePushedReference(deps, single(query, "client_id"), requestUri);
  const client = await resolveClient(deps.db, single(query, "client_id"), single(query, "redirect_uri"));
  return readAuthorizationParameters(deps.db, client, query, { pushed: false });
}

/**
 * RFC 9126 §4: client_id must come along and name the client that pushed the request, which is
 * used once; its parameters are the whole request (others in the query are ignored). Until the
 * pushed redirect URI is trusted again, every failure is shown, never redirected.
 */
async function parsePushedReference(deps: { db: Pick<Database, "credential" | "subscription">; store: Store }, clientId: string | undefined, requestUri: string) {
  if (!clientId) throw new UntrustedRequestError("invalid_request", "The client_id parameter is missing.");
  const pushed = await claimPushedRequest(deps.store, requestUri, clientId);
  if (!pushed) throw new UntrustedRequestError("invalid_request_uri", "The request_uri is unknown, expired, already used, or was pushed by another client.");
  const params = new URLSearchParams(pushed);
  const client = await resolveClient(deps.db, clientId, single(params, "redirect_uri"));
  return readAuthorizationParameters(deps.db, client, params, { pushed: true });
}

/**
 * Everything after the client and its redirect URI are trusted — the one reading of an
 * authorization request, at /oauth/authorize (`pushed`: the parameters came through /oauth/par)
 * and at /oauth/par itself. Failures are RedirectableErrors.
 */
export async function readAuthorizationParameters(
  db: Pick<Database, "subscription">,
  client: AuthorizingClient,
  query: URLSearchParams,
  { pushed }: { pushed: boolean },
): Promise<AuthorizationRequest> {
  const rawState = single(query, "state");
  const state = rawState && rawState.length <= MAX_STATE ? rawState : null;
  // Implicit is off unless an admin enabled it for the app (RFC 9700 §2.1.2); once the request
  // is a valid implicit one, its errors go back in the fragment — or as a form post when the
  // client asked for one (errors, too, go where the client expects the answer).
  const implicit = single(query, "response_type") === "token" && client.implicitEnabled;
  const defaultMode: ResponseMode = implicit ? "fragment" : "query";
  const responseMode: ResponseMode = single(query, "response_mode") === "form_post" ? "form_post" : defaultMode;
  const redirectable = (error: OAuthError) => new RedirectableError(error, client.redirectUri, state, responseMode);

  for (const name of new Set(query.keys())) if (query.getAll(name).length > 1) throw redirectable(invalidRequest(`The ${name} parameter is repeated.`));
  try {
    // RFC 9126 §6: an app that requires pushed requests takes no other kind.
    if (!pushed && client.requirePushedAuthorizationRequests)
      throw invalidRequest("This client must push its authorization requests to the pushed_authorization_request_endpoint.");
    // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
    const params = parseParameters(authorizationParameters, Object.fromEntries([...query].filter(([, value]) => value !== "")));
    // "token" for an app without implicit is answered like any unsupported type, in the query.
    if (params.response_type !== "code" && !implicit) throw new OAuthError("unsupported_response_type", "Only response_type=code is supported for this client.");
    // OAuth 2.0 Multiple Response Types §2.1: a token never travels in the query; a code only
    // in the query or a form post (the fragment is for implicit).
    if (params.response_mode && params.response_mode !== "form_post" && params.response_mode !== defaultMode) {
      throw invalidRequest(`response_mode=${params.response_mode} cannot be used with response_type=${params.response_type}.`);
    }
    // No PKCE to bind the answer to the browser that asked: state is the client's only CSRF defence.
    if (implicit && !params.state) throw invalidRequest("state is required with response_type=token.");
    const pkce = implicit ? { codeChallenge: null, codeChallengeMethod: null } : checkPkce(params.code_challenge, params.code_challenge_method, client.appType === "public");
    const scope = resolveScope(params.scope, await approvedScopes(db, client.appId));
    return {
      client,
      responseType: implicit ? "token" : "code",
      responseMode,
      prompt: params.prompt ?? [],
      maxAge: params.max_age ?? null,
      loginHint: params.login_hint ?? null,
      scope,
      state,
      nonce: implicit ? null : (params.nonce ?? null),
      ...pkce,
      // no code to bind with implicit: its token is issued at once, as a Bearer token
      dpopJkt: implicit ? null : (params.dpop_jkt ?? null),
    };
  } catch (error) {
    if (error instanceof OAuthError) throw redirectable(error);
    throw error;
  }
}
