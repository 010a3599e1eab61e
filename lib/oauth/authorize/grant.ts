// The end of a successful authorization: the user's Okta id token is kept encrypted (bound to
// the user's sub as associated data), and a Gatehouse authorization code is issued through the
// contract with the token endpoint (lib/oauth/codes.ts) and sent back with state and iss.
import type { Database } from "../../db/index.ts";
import { encrypt } from "../../security/encryption.ts";
import { issueAuthorizationCode } from "../codes.ts";
import type { AuthorizationRequest } from "./request.ts";
import { clientRedirectUrl } from "./responses.ts";
import type { VerifiedLogin } from "./okta-delegation.ts";

export async function keepIdToken(db: Pick<Database, "idTokenRecord">, login: VerifiedLogin, key: Buffer): Promise<string> {
  const record = await db.idTokenRecord.create({
    data: { userSub: login.sub, ciphertext: encrypt(login.idToken, key, login.sub), expiresAt: login.expiresAt },
  });
  return record.id;
}

/** Issues the code and returns the client redirect carrying code, state and iss. */
export async function grantCode(
  db: Pick<Database, "authorizationCode">,
  issuer: string,
  request: AuthorizationRequest,
  userSub: string,
  idTokenRecordId: string | null,
): Promise<string> {
  const code = await issueAuthorizationCode(db, {
    appId: request.client.appId,
    credentialId: request.client.credentialId,
    userSub,
    redirectUri: request.client.redirectUri,
    scope: request.scope,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    nonce: request.nonce,
    idTokenRecordId,
  });
  return clientRedirectUrl(request.client.redirectUri, issuer, { code, state: request.state });
}
