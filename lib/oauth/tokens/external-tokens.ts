// External access tokens (password grant, mode okta_token): tokens Okta minted for a user on an
// app's behalf, kept — as SHA-256 hashes, like Gatehouse's own — with the app, credential,
// products and scopes they stand for, so the gateway, introspection and revocation treat them
// as if Gatehouse had issued them.
import type { Database } from "../../db/index.ts";
import { hashSecret } from "../../security/secrets.ts";
import type { OAuthClient } from "../clients.ts";

export interface ExternalTokenRow {
  id: string;
  appId: string;
  credentialId: string | null;
  userSub: string | null;
  scope: string;
  products: string;
  idTokenRecordId: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

export async function keepExternalToken(
  db: Pick<Database, "externalToken">,
  token: { value: string; issuer: string; expiresIn: number; userSub: string; idTokenRecordId: string | null },
  client: OAuthClient,
  scope: string,
  now: Date,
): Promise<void> {
  await db.externalToken.create({
    data: {
      tokenHash: hashSecret(token.value),
      appId: client.appId,
      credentialId: client.credentialId,
      userSub: token.userSub,
      issuer: token.issuer,
      scope,
      products: JSON.stringify(client.productIds),
      idTokenRecordId: token.idTokenRecordId,
      expiresAt: new Date(now.getTime() + token.expiresIn * 1000),
    },
  });
}

export async function findExternalTokenByHash(db: Pick<Database, "externalToken">, tokenHash: string): Promise<ExternalTokenRow | null> {
  return db.externalToken.findUnique({
    where: { tokenHash },
    select: { id: true, appId: true, credentialId: true, userSub: true, scope: true, products: true, idTokenRecordId: true, expiresAt: true, revokedAt: true, createdAt: true },
  });
}
