// The authorization request (RFC 6749 §4.1.1 and §4.2.1, RFC 7636 §4.3, OIDC's prompt,
// max_age and login_hint): client and redirect URI first (failures there are shown, not
// redirected), then everything else, whose failures go back to the client — in the fragment
// once the request is a valid implicit one. The result is what the rest of the flow carries
// until a code or token is issued.
import type { Database } from "../../db/index.ts";
import { OAuthError } from "../errors.ts";
import { resolveClient, UntrustedRequestError, type AuthorizingClient } from "./client.ts";
import { checkPkce } from "../pkce.ts";
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
}

/** A failure after the redirect URI is trusted: sent back to the client. */
export class RedirectableError extends Error {
  override name = "RedirectableError";
  constructor(readonly error: OAuthError, readonly redirectUri: string, readonly state: string | null, readonly responseMode: ResponseMode = "query") {
    super(error.message);
  }
}

const MAX_STATE = 1024;
const MAX_NONCE = 512;
const MAX_LOGIN_HINT = 256;
const PROMPTS: ReadonlySet<string> = new Set<Prompt>(["none", "login", "consent"]);

export async function parseAuthorizationRequest(db: Pick<Database, "credential" | "subscription">, params: URLSearchParams): Promise<AuthorizationRequest> {
  const single = (name: string): string | undefined => {
    const all = params.getAll(name);
    return all.length === 1 ? all[0] : undefined;
  };
  for (const name of ["client_id", "redirect_uri"]) {
    if (params.getAll(name).length > 1) throw new UntrustedRequestError("invalid_request", `The ${name} parameter is repeated.`);
  }
  const client = await resolveClient(db, single("client_id"), single("redirect_uri"));
  const rawState = single("state");
  const state = rawState !== undefined && rawState.length <= MAX_STATE ? rawState : null;
  let responseMode: ResponseMode = "query";
  const fail = (code: OAuthError["code"], description: string): never => {
    throw new RedirectableError(new OAuthError(code, description), client.redirectUri, state, responseMode);
  };

  for (const name of new Set(params.keys())) if (params.getAll(name).length > 1) fail("invalid_request", `The ${name} parameter is repeated.`);
  if (rawState !== undefined && rawState.length > MAX_STATE) fail("invalid_request", "state is too long.");

  const responseType = single("response_type");
  if (responseType === undefined) fail("invalid_request", "The response_type parameter is missing.");
  // Implicit is off unless an admin enabled it for the app (RFC 9700 §2.1.2);
  // otherwise "token" is answered like any unsupported type, in the query.
  const implicit = responseType === "token" && client.implicitEnabled;
  if (responseType !== "code" && !implicit) fail("unsupported_response_type", "Only response_type=code is supported for this client.");
  if (implicit) {
    responseMode = "fragment";
    // No PKCE to bind the answer to the browser that asked: state is the client's only CSRF defence.
    if (rawState === undefined || rawState === "") fail("invalid_request", "state is required with response_type=token.");
  }

  const nonce = single("nonce") ?? null;
  if (nonce !== null && nonce.length > MAX_NONCE) fail("invalid_request", "nonce is too long.");

  const prompt = [...new Set((single("prompt") ?? "").split(" ").filter(Boolean))];
  if (prompt.some((p) => !PROMPTS.has(p))) fail("invalid_request", "prompt may hold none, login and consent.");
  if (prompt.includes("none") && prompt.length > 1) fail("invalid_request", "prompt=none cannot be combined with other values.");
  const rawMaxAge = single("max_age");
  if (rawMaxAge !== undefined && !/^\d{1,9}$/.test(rawMaxAge)) fail("invalid_request", "max_age must be a number of seconds.");
  const loginHint = single("login_hint") ?? null;
  if (loginHint !== null && loginHint.length > MAX_LOGIN_HINT) fail("invalid_request", "login_hint is too long.");

  try {
    const pkce = implicit ? { codeChallenge: null, codeChallengeMethod: null } : checkPkce(single("code_challenge"), single("code_challenge_method"), client.appType === "public");
    const scope = resolveScope(single("scope"), await approvedScopes(db, client.appId));
    return {
      client, responseType: implicit ? "token" : "code", responseMode, prompt: prompt as Prompt[], maxAge: rawMaxAge === undefined ? null : Number(rawMaxAge), loginHint,
      scope, state, nonce: implicit ? null : nonce, ...pkce,
    };
  } catch (error) {
    if (error instanceof OAuthError) throw new RedirectableError(error, client.redirectUri, state, responseMode);
    throw error;
  }
}
