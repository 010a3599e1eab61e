// DPoP proof JWTs (RFC 9449 §4.2), signed with Web Crypto: ES256 only.
import { base64url, base64urlJson, sha256Base64url } from "./base64url.js";

export interface ProofClaims {
  /** The request's method (htm). */
  method: string;
  /** The request's URL; htu is it without query and fragment (§4.2). */
  url: string | URL;
  /** The server's latest DPoP-Nonce, when it gave one (§8, §9). */
  nonce?: string;
  /** At a resource: the access token the proof goes with, hashed into ath (§4.2). */
  accessToken?: string;
}

export interface PublicEcJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
}

/** The public key as a JWK with only its required members: no `ext`, no `key_ops`. */
export async function publicJwk(publicKey: CryptoKey): Promise<PublicEcJwk> {
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", publicKey);
  if (kty !== "EC" || crv !== "P-256" || !x || !y) throw new TypeError("The DPoP public key must be an EC P-256 key.");
  return { kty, crv, x, y };
}

/** RFC 7638 JWK thumbprint (SHA-256): the `jkt` a server binds tokens to, and `dpop_jkt` (§10). */
export function jwkThumbprint(jwk: PublicEcJwk): Promise<string> {
  // the required members only, in lexicographic order, no whitespace
  return sha256Base64url(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }));
}

/** The htu of a request URL: scheme, authority and path (§4.2: no query, no fragment). */
export function htu(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export async function createProof(keys: CryptoKeyPair, claims: ProofClaims, jwk?: PublicEcJwk): Promise<string> {
  const header = { typ: "dpop+jwt", alg: "ES256", jwk: jwk ?? (await publicJwk(keys.publicKey)) };
  const payload = {
    jti: base64url(crypto.getRandomValues(new Uint8Array(32))),
    htm: normalizeMethod(claims.method),
    htu: htu(claims.url),
    iat: Math.floor(Date.now() / 1000),
    ...(claims.nonce !== undefined ? { nonce: claims.nonce } : {}),
    ...(claims.accessToken !== undefined ? { ath: await sha256Base64url(claims.accessToken) } : {}),
  };
  const input = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  // Web Crypto's ECDSA signature is r || s, which is what JWS ES256 wants (RFC 7518 §3.4)
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** The method as fetch sends it: the six standard ones upper-cased, any other exactly as given. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].includes(upper) ? upper : method;
}
