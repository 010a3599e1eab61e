// The end of a successful authorization: the user's Okta id token is kept encrypted (bound to
// the user's sub as associated data), then the client gets what it asked for — a Gatehouse
// authorization code (through the contract with the token endpoint, lib/oauth/codes.ts) in the
// query, or, for implicit, an access token in the fragment (either as a form post when the client
// asked for one) — always with state and iss.
import type { Database } from "../../db/index.ts";
import { encrypt } from "../../security/encryption.ts";
import { findClient } from "../clients.ts";
import { issueAuthorizationCode } from "../codes.ts";
import { OAuthError } from "../errors.ts";
import { issueTokens } from "../tokens/issue.ts";
import type { AuthorizationRequest } from "./request.ts";
import { errorAnswer, type ClientAnswer } from "./responses.ts";
import type { VerifiedLogin } from "./okta-delegation.ts";

/**
 * Implicit tokens live at most this long (or the products' lifetime, if shorter): a token in a
 * URL fragment can leak through browser history and scripts on the page (RFC 9700 §2.1.2), and
 * there is no refresh token to renew it — the app sends the user through /oauth/authorize again.
 */
export const IMPLICIT_TOKEN_MAX_SECONDS = 15 * 60;

export async function keepIdToken(db: Pick<Database, "idTokenRecord">, login: VerifiedLogin, key: Buffer): Promise<string> {
  const record = await db.idTokenRecord.create({
    data: { userSub: login.sub, ciphertext: encrypt(login.idToken, key, login.sub), authTime: login.authTime, expiresAt: login.expiresAt },
  });
  return record.id;
}

/** Issues the code (or the implicit token) and returns the answer carrying it. */
export async function grantAuthorization(db: Database, request: AuthorizationRequest, userSub: string, idTokenRecordId: string | null): Promise<ClientAnswer> {
  if (request.responseType === "token") return grantImplicitToken(db, request, userSub, idTokenRecordId);
  const code = await issueAuthorizationCode(db, {
    appId: request.client.appId,
    credentialId: request.client.credentialId,
    userSub,
    redirectUri: request.client.redirectUri,
    scope: request.scope,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    nonce: request.nonce,
    dpopJkt: request.dpopJkt,
    idTokenRecordId,
  });
  return { redirectUri: request.client.redirectUri, params: { code, state: request.state }, mode: request.responseMode };
}

async function grantImplicitToken(db: Database, request: AuthorizationRequest, userSub: string, idTokenRecordId: string | null): Promise<ClientAnswer> {
  const refuse = (error: OAuthError) => errorAnswer(request.client.redirectUri, error, request.state, request.responseMode);
  // The app as it is now: it may have been suspended, or lost a product, while the user signed in.
  const client = await findClient(db, request.client.clientId);
  if (!client?.usable) return refuse(new OAuthError("unauthorized_client", "The client is no longer allowed to obtain tokens."));
  const scopes = request.scope.split(" ").filter(Boolean);
  if (scopes.some((s) => !client.allowedScopes.has(s))) return refuse(new OAuthError("invalid_scope", "The requested scope is no longer approved for this app."));
  const shortLived = { ...client, lifetimes: { ...client.lifetimes, accessTokenSeconds: Math.min(client.lifetimes.accessTokenSeconds, IMPLICIT_TOKEN_MAX_SECONDS) } };
  const tokens = await issueTokens(db, { client: shortLived, grantType: "implicit", scope: request.scope, userSub, idTokenRecordId });
  return {
    redirectUri: request.client.redirectUri,
    params: {
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      expires_in: String(tokens.expires_in),
      scope: tokens.scope,
      state: request.state,
    },
    mode: request.responseMode,
  };
}
