// PKCE (RFC 7636, S256 only) and random values from Web Crypto, present in browsers and Node 20.
import { base64url, sha256Base64url } from "./base64url.js";

export function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function codeChallenge(verifier: string): Promise<string> {
  return sha256Base64url(verifier);
}
