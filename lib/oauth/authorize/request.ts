// The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3): client and redirect URI first
// (failures there are shown, not redirected), then everything else, whose failures go back to
// the client. The result is what the rest of the flow carries until a code is issued.
import type { Database } from "../../db/index.ts";
import { OAuthError } from "../errors.ts";
import { resolveClient, UntrustedRequestError, type AuthorizingClient } from "./client.ts";
import { checkPkce } from "./pkce.ts";
import { approvedScopes, resolveScope } from "./scopes.ts";

export interface AuthorizationRequest {
  client: AuthorizingClient;
  scope: string;
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | null;
  nonce: string | null;
}

/** A failure after the redirect URI is trusted: sent back to the client. */
export class RedirectableError extends Error {
  override name = "RedirectableError";
  constructor(readonly error: OAuthError, readonly redirectUri: string, readonly state: string | null) {
    super(error.message);
  }
}

const MAX_STATE = 1024;
const MAX_NONCE = 512;

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
  const fail = (code: OAuthError["code"], description: string): never => {
    throw new RedirectableError(new OAuthError(code, description), client.redirectUri, state);
  };

  for (const name of new Set(params.keys())) if (params.getAll(name).length > 1) fail("invalid_request", `The ${name} parameter is repeated.`);
  if (rawState !== undefined && rawState.length > MAX_STATE) fail("invalid_request", "state is too long.");

  const responseType = single("response_type");
  if (responseType === undefined) fail("invalid_request", "The response_type parameter is missing.");
  if (responseType !== "code") {
    // Implicit is off by default (RFC 9700 §2.1.2); apps an admin enabled it for are refused too
    // because this version issues no tokens from the authorization endpoint.
    const description = responseType === "token" && client.implicitEnabled ? "The implicit grant is not available in this version; use code with PKCE." : "Only response_type=code is supported.";
    fail("unsupported_response_type", description);
  }

  const nonce = single("nonce") ?? null;
  if (nonce !== null && nonce.length > MAX_NONCE) fail("invalid_request", "nonce is too long.");

  try {
    const pkce = checkPkce(single("code_challenge"), single("code_challenge_method"), client.appType === "public");
    const scope = resolveScope(single("scope"), await approvedScopes(db, client.appId));
    return { client, scope, state, nonce, ...pkce };
  } catch (error) {
    if (error instanceof OAuthError) throw new RedirectableError(error, client.redirectUri, state);
    throw error;
  }
}
