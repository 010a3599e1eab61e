// The key Gatehouse signs JWT access tokens with (RFC 9068): generated once, kept in the
// database so every instance signs with the same key (the private half encrypted with
// ENCRYPTION_KEY, AES-256-GCM, the kid as associated data), published at /oauth/jwks.
// RS256 because RFC 9068 §4 makes it the one algorithm every resource server must support.
import { randomUUID } from "node:crypto";
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from "jose";
import type { Database } from "../../db/index.ts";
import { decrypt, encrypt } from "../../security/encryption.ts";

export const SIGNING_ALG = "RS256";
const CURRENT_SLOT = "current";

export interface SigningKeyPair {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
}

type Db = Pick<Database, "signingKey">;

/** The public keys of every active signing key, as a JWK Set. */
export async function publicJwks(db: Db): Promise<{ keys: JWK[] }> {
  const rows = await db.signingKey.findMany({ where: { status: "active" }, orderBy: { createdAt: "asc" } });
  return { keys: rows.map((r) => JSON.parse(r.publicJwk) as JWK) };
}

/**
 * The signing key every instance uses: the one in the "current" slot, created on first use.
 * The slot is unique, so when instances start together only one insert wins; the others fail
 * on it and read the winner's key.
 */
export async function loadOrCreateSigningKey(db: Db, encryptionKey: Buffer): Promise<SigningKeyPair> {
  const current = () => db.signingKey.findUnique({ where: { slot: CURRENT_SLOT } });
  let row = await current();
  if (!row) {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
    try {
      row = await db.signingKey.create({
        data: {
          id: kid,
          alg: SIGNING_ALG,
          slot: CURRENT_SLOT,
          publicJwk: JSON.stringify(publicJwk),
          privateKeyCiphertext: encrypt(await exportPKCS8(privateKey), encryptionKey, kid),
        },
      });
    } catch (error) {
      row = await current(); // another instance created it first
      if (!row) throw error;
    }
  }
  const pem = decrypt(row.privateKeyCiphertext, encryptionKey, row.id);
  return { kid: row.id, alg: row.alg, privateKey: await importPKCS8(pem, row.alg) };
}
