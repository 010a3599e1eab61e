// PKCE (RFC 7636, RFC 9700 §2.1.1), both ends: the authorization endpoint accepts S256 only,
// required for public clients and accepted (recommended) for confidential ones; the token
// endpoint redeems a code only with the verifier that hashes to its challenge, and a code
// issued without a challenge only without a verifier (a downgrade is refused).
import { createHash } from "node:crypto";
import { constantTimeEqual } from "../security/secrets.ts";
import { OAuthError } from "./errors.ts";

/** RFC 7636 §4.1–4.2: verifier and challenge are 43 to 128 unreserved characters. */
const CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

export const isWellFormedVerifier = (verifier: string) => CHALLENGE.test(verifier);

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

/** Whether a code with `challenge` (null: issued without PKCE) may be redeemed with `verifier`. */
export function verifierMatches(challenge: string | null, verifier: string | undefined): boolean {
  if (!challenge) return verifier === undefined;
  return verifier !== undefined && constantTimeEqual(createHash("sha256").update(verifier, "ascii").digest("base64url"), challenge);
}
