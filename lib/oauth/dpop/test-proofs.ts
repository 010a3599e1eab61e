// DPoP proofs for tests, made with jose (an implementation independent of the verifier's).
import { randomUUID, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { accessTokenHash } from "./verify-proof.ts";

export interface ProofKeyPair {
  alg: string;
  privateKey: KeyObject | CryptoKey;
  jwk: JWK;
  jkt: string;
}

export async function proofKeyPair(alg = "ES256"): Promise<ProofKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { alg, privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
}

export interface ProofClaims {
  htm?: string;
  htu?: string;
  iat?: number;
  jti?: string;
  ath?: string;
  nonce?: string;
  accessToken?: string;
}

/** A proof signed with `key`; `header` overrides the protected header (typ, alg, jwk). */
export async function makeProof(key: ProofKeyPair, claims: ProofClaims, header: Record<string, unknown> = {}): Promise<string> {
  const { accessToken, ...rest } = claims;
  const payload: Record<string, unknown> = {
    htm: "GET",
    htu: "http://gatehouse.test/",
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    ...(accessToken ? { ath: accessTokenHash(accessToken) } : {}),
    ...rest,
  };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, typ: "dpop+jwt", jwk: key.jwk, ...header }).sign(key.privateKey);
}
