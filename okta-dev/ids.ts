// Okta-looking identifiers: a 3-character type prefix (00u user, 00g group, 0oa app, 00o org)
// followed by random base62, 20 characters in all, so ids look like the ones Okta hands out.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    // 248 = 4 * 62: drop the top bytes so every character is equally likely.
    if (bytes[i] < 248) out += ALPHABET[bytes[i] % 62];
  }
  return out.length === length ? out : out + randomBase62(length - out.length);
}

export type IdKind = "user" | "group" | "app" | "org" | "factor";

const PREFIX: Record<IdKind, string> = { user: "00u", group: "00g", app: "0oa", org: "00o", factor: "uft" };

export function oktaId(kind: IdKind): string {
  return PREFIX[kind] + randomBase62(17);
}

/** An opaque secret with a recognisable prefix, so a leaked okta-dev value is easy to spot. */
export function devSecret(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}
