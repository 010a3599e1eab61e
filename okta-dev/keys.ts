// The org's RSA signing key and cookie-signing secrets, generated once and kept in keys.json so
// the `kid` (and therefore every token already handed out) survives a restart.
import { randomBytes } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { JsonFile } from "./persistence.ts";

export interface OrgKeys {
  signing: JWK & { kid: string };
  cookieKeys: string[];
}

export async function loadOrCreateKeys(dataDir: string): Promise<OrgKeys> {
  const file = new JsonFile<OrgKeys | null>(dataDir, "keys.json");
  const existing = file.read(null);
  if (existing) return existing;
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const keys: OrgKeys = {
    signing: { ...jwk, kid, alg: "RS256", use: "sig" },
    cookieKeys: [randomBytes(32).toString("base64url")],
  };
  file.write(keys);
  return keys;
}

export function publicJwk(keys: OrgKeys): JWK {
  const { kty, n, e, kid, alg, use } = keys.signing;
  return { kty, n, e, kid, alg, use };
}
