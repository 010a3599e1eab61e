// The protected header of a DPoP proof (RFC 9449 §4.2, §4.3): typ, an asymmetric alg from the
// allow-list, and the public key (`jwk`) the proof is signed with — imported once and kept,
// with its RFC 7638 thumbprint, keyed by the header's own text: a client sends the same header
// with every proof, so the gateway's hot path neither parses JSON nor imports a key twice.
import { createHash, createPublicKey, constants, type KeyObject } from "node:crypto";
import { invalidProof } from "./errors.ts";

interface AlgSpec {
  kty: "EC" | "RSA" | "OKP";
  crv?: readonly string[];
  /** node:crypto's digest; null for EdDSA. */
  hash: "sha256" | "sha384" | "sha512" | null;
  pss?: number; // PSS salt length
}

const ALGS: Record<string, AlgSpec> = {
  ES256: { kty: "EC", crv: ["P-256"], hash: "sha256" },
  ES384: { kty: "EC", crv: ["P-384"], hash: "sha384" },
  ES512: { kty: "EC", crv: ["P-521"], hash: "sha512" },
  RS256: { kty: "RSA", hash: "sha256" },
  RS384: { kty: "RSA", hash: "sha384" },
  RS512: { kty: "RSA", hash: "sha512" },
  PS256: { kty: "RSA", hash: "sha256", pss: 32 },
  PS384: { kty: "RSA", hash: "sha384", pss: 48 },
  PS512: { kty: "RSA", hash: "sha512", pss: 64 },
  EdDSA: { kty: "OKP", crv: ["Ed25519", "Ed448"], hash: null },
  Ed25519: { kty: "OKP", crv: ["Ed25519"], hash: null }, // RFC 9864's fully specified name
};

/** dpop_signing_alg_values_supported (RFC 9449 §5.1): asymmetric algorithms only, never "none" or HMAC. */
export const DPOP_SIGNING_ALGS: readonly string[] = Object.keys(ALGS);

/** Members of a JWK that only a private (or symmetric) key has. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
/** RFC 7638 §3.2: the required members each key type's thumbprint is computed over, in order. */
const THUMBPRINT_MEMBERS: Record<AlgSpec["kty"], readonly string[]> = { EC: ["crv", "kty", "x", "y"], RSA: ["e", "kty", "n"], OKP: ["crv", "kty", "x"] };

export interface ProofKey {
  alg: string;
  key: KeyObject;
  /** How node:crypto's verify() checks this alg's signature. */
  verifyOptions: { key: KeyObject; dsaEncoding?: "ieee-p1363"; padding?: number; saltLength?: number };
  hash: AlgSpec["hash"];
  /** RFC 7638 SHA-256 thumbprint of the key, base64url: what tokens are bound to (cnf.jkt). */
  jkt: string;
}

const MAX_CACHED = 10_000;
const cache = new Map<string, ProofKey>();

/** The verified header of a proof, from its first (base64url) segment; throws invalid_dpop_proof. */
export function proofKey(headerSegment: string): ProofKey {
  const cached = cache.get(headerSegment);
  if (cached) return cached;
  const parsed = parseHeader(headerSegment);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!); // oldest first
  cache.set(headerSegment, parsed);
  return parsed;
}

function parseHeader(segment: string): ProofKey {
  if (segment.length > 4096) throw invalidProof("The proof's header is too large.");
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw invalidProof("The proof is not a JWT.");
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) throw invalidProof("The proof is not a JWT.");
  if (header.typ !== "dpop+jwt") throw invalidProof('The proof\'s typ must be "dpop+jwt".');
  const alg = header.alg;
  const spec = typeof alg === "string" && Object.hasOwn(ALGS, alg) ? ALGS[alg]! : null;
  if (!spec) throw invalidProof(`The proof's alg must be one of ${DPOP_SIGNING_ALGS.join(", ")}.`);
  if (header.crit !== undefined || header.b64 !== undefined) throw invalidProof("The proof's header has parameters this server does not understand.");
  const jwk = header.jwk as Record<string, unknown> | undefined;
  if (!jwk || typeof jwk !== "object" || Array.isArray(jwk)) throw invalidProof("The proof's header must carry the public key (jwk).");
  if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw invalidProof("The proof's jwk must be a public key.");
  if (jwk.kty !== spec.kty || (spec.crv && !spec.crv.includes(jwk.crv as string))) throw invalidProof(`The proof's jwk does not fit alg ${alg as string}.`);
  const members = THUMBPRINT_MEMBERS[spec.kty];
  if (members.some((m) => typeof jwk[m] !== "string" || !(jwk[m] as string).length)) throw invalidProof("The proof's jwk is incomplete.");
  const publicJwk = Object.fromEntries(members.map((m) => [m, jwk[m]]));
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicJwk, format: "jwk" });
  } catch {
    throw invalidProof("The proof's jwk is not a valid public key.");
  }
  if (spec.kty === "RSA" && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw invalidProof("The proof's RSA key must have at least 2048 bits.");
  const jkt = createHash("sha256").update(JSON.stringify(publicJwk)).digest("base64url");
  const verifyOptions: ProofKey["verifyOptions"] =
    spec.kty === "EC"
      ? { key, dsaEncoding: "ieee-p1363" }
      : spec.pss
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.pss }
        : spec.kty === "RSA"
          ? { key, padding: constants.RSA_PKCS1_PADDING }
          : { key };
  return { alg: alg as string, key, verifyOptions, hash: spec.hash, jkt };
}
