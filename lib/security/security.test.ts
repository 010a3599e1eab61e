import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decrypt, encrypt } from "./encryption.ts";
import { generateClientId, generateSecret, hashSecret, secretMatches, withoutSecrets } from "./secrets.ts";

describe("secrets", () => {
  it("are prefixed, unique and carry at least 128 bits of randomness", () => {
    const values = new Set(Array.from({ length: 1000 }, () => generateSecret("clientSecret")));
    expect(values.size).toBe(1000);
    for (const v of values) expect(v).toMatch(/^gth_cs_[A-Za-z0-9_-]{43}$/); // 32 bytes
    expect(generateClientId()).toMatch(/^gth_ci_[A-Za-z0-9_-]{22}$/); // 16 bytes
  });

  it("match only their own hash", () => {
    const secret = generateSecret("accessToken");
    const hash = hashSecret(secret);
    expect(hash).not.toContain(secret);
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(`${secret}x`, hash)).toBe(false);
    expect(secretMatches(secret, "abc")).toBe(false); // malformed stored hash: no throw
  });
});

describe("encryption", () => {
  const key = randomBytes(32);

  it("round-trips and never repeats a ciphertext", () => {
    const a = encrypt("eyJhbGciOi.id.token", key, "user-1");
    const b = encrypt("eyJhbGciOi.id.token", key, "user-1");
    expect(a).not.toBe(b);
    expect(decrypt(a, key, "user-1")).toBe("eyJhbGciOi.id.token");
  });

  it("refuses tampering, another key and another context", () => {
    const value = encrypt("secret claims", key, "user-1");
    const parts = value.split(".");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0]! ^= 1;
    expect(() => decrypt([...parts.slice(0, 3), flipped.toString("base64url")].join("."), key, "user-1")).toThrow();
    expect(() => decrypt(value, randomBytes(32), "user-1")).toThrow();
    expect(() => decrypt(value, key, "user-2")).toThrow();
    expect(() => decrypt("garbage", key)).toThrow();
  });
});

describe("withoutSecrets", () => {
  it("cuts every issued secret in a path to its prefix and leaves public ids and other text alone", () => {
    const invitation = generateSecret("teamInvitation");
    const token = generateSecret("accessToken");
    expect(withoutSecrets(`/teams/invitations/${invitation}`)).toBe("/teams/invitations/gth_inv_[redacted]");
    expect(withoutSecrets(`/x/${token}/y/${invitation}`)).toBe("/x/gth_at_[redacted]/y/gth_inv_[redacted]");
    expect(withoutSecrets("/gateway/orders/v1/gth_ci_abc/items")).toBe("/gateway/orders/v1/gth_ci_abc/items");
    expect(withoutSecrets("/apps")).toBe("/apps");
  });
});
