// PKCE at the authorization endpoint (RFC 7636, RFC 9700 §2.1.1): S256 only; required for
// public clients, accepted (and recommended) for confidential ones.
import { OAuthError } from "../errors.ts";

const CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface PkceChallenge {
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | null;
}

export function checkPkce(challenge: string | undefined, method: string | undefined, publicClient: boolean): PkceChallenge {
  if (challenge === undefined) {
    if (method !== undefined) throw new OAuthError("invalid_request", "code_challenge_method without code_challenge.");
    if (publicClient) throw new OAuthError("invalid_request", "Public clients must use PKCE (code_challenge with S256).");
    return { codeChallenge: null, codeChallengeMethod: null };
  }
  // Without a method RFC 7636 means "plain", which is refused.
  if (method !== "S256") throw new OAuthError("invalid_request", "code_challenge_method must be S256.");
  if (!CHALLENGE.test(challenge)) throw new OAuthError("invalid_request", "code_challenge is malformed.");
  return { codeChallenge: challenge, codeChallengeMethod: "S256" };
}
