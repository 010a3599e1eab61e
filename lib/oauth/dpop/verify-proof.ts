// One DPoP proof JWT checked against the request it came with (RFC 9449 §4.3): the header and
// key (proof-key.ts), the signature, htm, htu, iat within the window, jti, and — when an access
// token is presented — ath. Pure and synchronous; the nonce and jti replay checks that need
// state happen in verifier.ts.
import { createHash, verify } from "node:crypto";
import { invalidProof } from "./errors.ts";
import { htuMatches } from "./htu.ts";
import { proofKey } from "./proof-key.ts";

export interface ProofRequest {
  method: string;
  /** The URIs (without query) the request may have been sent to, in any spelling htuMatches accepts. */
  uris: readonly string[];
  /** The access token presented with the proof, if any (ath). */
  accessToken?: string;
  /** Milliseconds since the epoch. */
  now: number;
  iatWindowSeconds: number;
}

export interface VerifiedProof {
  jkt: string;
  jti: string;
  iat: number;
  nonce: string | null;
}

const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;

export function verifyProof(proof: string, request: ProofRequest): VerifiedProof {
  if (proof.length > MAX_PROOF_LENGTH) throw invalidProof("The proof is too large.");
  const firstDot = proof.indexOf(".");
  const secondDot = proof.indexOf(".", firstDot + 1);
  if (firstDot < 1 || secondDot < 0 || proof.indexOf(".", secondDot + 1) !== -1) throw invalidProof("The proof is not a JWT.");
  const key = proofKey(proof.slice(0, firstDot));
  const signature = Buffer.from(proof.slice(secondDot + 1), "base64url");
  let valid = false;
  try {
    valid = verify(key.hash, Buffer.from(proof.slice(0, secondDot), "latin1"), key.verifyOptions, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw invalidProof("The proof's signature does not verify with its jwk.");

  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(proof.slice(firstDot + 1, secondDot), "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw invalidProof("The proof's claims are not JSON.");
  }
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) throw invalidProof("The proof's claims are not a JSON object.");
  const { jti, htm, htu, iat, ath, nonce } = claims;
  if (typeof jti !== "string" || !jti.length || jti.length > MAX_JTI_LENGTH) throw invalidProof("The proof needs a jti.");
  if (htm !== request.method) throw invalidProof("The proof's htm is not this request's method.");
  if (typeof htu !== "string" || !htuMatches(htu, request.uris)) throw invalidProof("The proof's htu is not this request's URI.");
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw invalidProof("The proof needs an iat.");
  if (Math.abs(iat - request.now / 1000) > request.iatWindowSeconds) throw invalidProof("The proof's iat is too far from the server's time.");
  if (request.accessToken !== undefined) {
    if (typeof ath !== "string" || ath !== accessTokenHash(request.accessToken)) throw invalidProof("The proof's ath does not match the access token.");
  }
  if (nonce !== undefined && typeof nonce !== "string") throw invalidProof("The proof's nonce must be a string.");
  return { jkt: key.jkt, jti, iat, nonce: nonce ?? null };
}

/** RFC 9449 §4.2 ath: base64url(SHA-256(ASCII(access token))). */
export function accessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "latin1").digest("base64url");
}
