// Issued secrets (client secrets, tokens, codes, API keys): 256 bits of randomness behind a
// recognisable prefix, so leaked ones are easy to find; stored only as SHA-256 hashes and
// compared in constant time.
import { hash, timingSafeEqual } from "node:crypto";
import { randomBytes } from "../runtime/random-bytes.ts";

/** `gth_` is Gatehouse's; the second part says what the value is. */
export const SECRET_PREFIXES = {
  clientSecret: "gth_cs_",
  accessToken: "gth_at_",
  refreshToken: "gth_rt_",
  authorizationCode: "gth_ac_",
  adminApiKey: "gth_ak_",
  initialAccessToken: "gth_iat_",
  registrationAccessToken: "gth_rat_",
  teamInvitation: "gth_inv_",
} as const;

export type SecretKind = keyof typeof SECRET_PREFIXES;

const SECRET_IN_TEXT = new RegExp(`(${Object.values(SECRET_PREFIXES).join("|")})[A-Za-z0-9_-]+`, "g");

/** `text` (a path that is logged or traced) with each issued secret in it cut to its prefix:
 * a link such as /teams/invitations/gth_inv_… carries one. */
export function withoutSecrets(text: string): string {
  return text.includes("gth_") ? text.replace(SECRET_IN_TEXT, "$1[redacted]") : text;
}

export function generateSecret(kind: SecretKind): string {
  return SECRET_PREFIXES[kind] + randomBytes(32).toString("base64url");
}

/** Public identifiers (client_id): unguessable but not secret, so shorter. */
export function generateClientId(): string {
  return `gth_ci_${randomBytes(16).toString("base64url")}`;
}

export function hashSecret(value: string): string {
  return hash("sha256", value, "hex"); // one-shot: a third of createHash()'s cost, and the gateway hashes every bearer token
}

/** The one constant-time comparison: bytes, or strings as UTF-8. Only the length may leak,
 * which is public for hashes and fixed-size tokens; hash first (sameSecret) when it is not. */
export function constantTimeEqual(a: Buffer | string, b: Buffer | string): boolean {
  const x = typeof a === "string" ? Buffer.from(a) : a;
  const y = typeof b === "string" ? Buffer.from(b) : b;
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  return constantTimeEqual(Buffer.from(hashSecret(presented), "hex"), Buffer.from(storedHash, "hex"));
}

/** Constant-time comparison of two secrets of any length (both are hashed to one length first). */
export function sameSecret(presented: string, expected: string): boolean {
  return constantTimeEqual(Buffer.from(hashSecret(presented), "hex"), Buffer.from(hashSecret(expected), "hex"));
}

/** The last characters of a secret, shown in lists to tell secrets apart. */
export function secretHint(value: string): string {
  return `…${value.slice(-4)}`;
}
