// Authorization codes: single use, ≤ 60 s, bound to the client, the redirect URI and the
// PKCE challenge; stored as hashes. /oauth/authorize issues them, the token endpoint redeems.
import type { Database } from "../db/index.ts";
import { generateSecret, hashSecret } from "../security/secrets.ts";

export const AUTHORIZATION_CODE_TTL_MS = 60_000;

export interface CodeGrantRequest {
  appId: string;
  credentialId: string;
  /** The end user (Okta user id). */
  userSub: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | null;
  nonce: string | null;
  /** RFC 9449 §10: the DPoP key thumbprint the token request must prove; none when absent. */
  dpopJkt?: string | null;
  /** The encrypted Okta id token of the user, when one was kept. */
  idTokenRecordId: string | null;
}

export async function issueAuthorizationCode(db: Pick<Database, "authorizationCode">, request: CodeGrantRequest, now = new Date()): Promise<string> {
  const code = generateSecret("authorizationCode");
  await db.authorizationCode.create({
    data: { ...request, codeHash: hashSecret(code), expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_TTL_MS) },
  });
  return code;
}
