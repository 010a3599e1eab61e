// Mints Gatehouse's tokens — opaque (256 bits, gth_at_/gth_rt_ prefixes) or, for products that
// ask for it, RFC 9068 JWT access tokens — and persists only their SHA-256 hashes with what
// each token knows: app, credential, end user, scope, products. The format changes how an
// access token looks, never how it is stored or found.
import { randomUUID } from "node:crypto";
import type { Database } from "../../db/index.ts";
import { generateSecret, hashSecret } from "../../security/secrets.ts";
import type { OAuthClient } from "../clients.ts";
import { insertAccessToken } from "./access-token-rows.ts";
import { accessTokenSigner, type AccessTokenSigner } from "./jwt-access-token.ts";
import type { ActorClaim } from "./actor.ts";

export interface TokenGrant {
  client: OAuthClient;
  grantType: string;
  scope: string;
  userSub: string | null;
  idTokenRecordId: string | null;
  authCodeId?: string;
  /** RFC 8705: bind the access token to this client certificate (x5t#S256); null or absent: unbound. */
  certificateThumbprint?: string | null;
  /** RFC 9449: bind the access token — and a public client's refresh token (§5) — to this DPoP key (jkt); null or absent: unbound. */
  dpopJkt?: string | null;
  /** Issue a refresh token too, continuing `family` when refreshing. */
  refresh?: { familyId?: string; parentId?: string; familyExpiresAt?: Date };
  /** RFC 8693 §4.1: who acts for the user (token exchange with an actor); absent: nobody. */
  actor?: ActorClaim | null;
  /** The access token lives at most this long (token exchange: no longer than the token it came from). */
  maxLifetimeSeconds?: number;
  /** Signs JWT access tokens; the process's signer unless given (tests). */
  signer?: AccessTokenSigner;
}

export interface TokenResponse {
  access_token: string;
  /** RFC 9449 §5.1: DPoP for a DPoP-bound access token. */
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  /** RFC 8693 §2.2.1: what a token exchange issued. */
  issued_token_type?: string;
}

type Tx = Pick<Database, "accessToken" | "refreshToken" | "idTokenRecord" | "$executeRaw" | "$queryRaw">;

async function jwtAccessToken(tx: Tx, grant: TokenGrant, now: Date, expiresIn: number): Promise<string> {
  const { client } = grant;
  // auth_time: when Okta authenticated the user (kept with the id token); a password grant
  // authenticates right now; a client acting for itself has none.
  const authTime = grant.idTokenRecordId
    ? ((await tx.idTokenRecord.findUnique({ where: { id: grant.idTokenRecordId }, select: { authTime: true } }))?.authTime ?? null)
    : grant.grantType === "password"
      ? now
      : null;
  return (grant.signer ?? accessTokenSigner()).sign({
    sub: grant.userSub ?? client.clientId,
    audiences: client.productSlugs,
    clientId: client.clientId,
    scope: grant.scope,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + expiresIn * 1000),
    authTime,
    certificateThumbprint: grant.certificateThumbprint ?? null,
    actor: grant.actor ?? null,
    dpopJkt: grant.dpopJkt ?? null,
  });
}

export async function issueTokens(tx: Tx, grant: TokenGrant, now = new Date()): Promise<TokenResponse> {
  const { client } = grant;
  const expiresIn = Math.min(client.lifetimes.accessTokenSeconds, grant.maxLifetimeSeconds ?? Infinity);
  const accessToken = client.accessTokenFormat === "jwt" ? await jwtAccessToken(tx, grant, now, expiresIn) : generateSecret("accessToken");
  const familyId = grant.refresh ? (grant.refresh.familyId ?? randomUUID()) : null;
  const products = JSON.stringify(client.productIds);
  await insertAccessToken(
    tx,
    {
      tokenHash: hashSecret(accessToken),
      appId: client.appId,
      credentialId: client.credentialId,
      userSub: grant.userSub,
      scope: grant.scope,
      products,
      attributes: "{}",
      grantType: grant.grantType,
      familyId,
      authCodeId: grant.authCodeId ?? null,
      idTokenRecordId: grant.idTokenRecordId,
      certificateThumbprint: grant.certificateThumbprint ?? null,
      actor: grant.actor ? JSON.stringify(grant.actor) : null,
      dpopJkt: grant.dpopJkt ?? null,
      expiresAt: new Date(now.getTime() + expiresIn * 1000),
    },
    now,
  );
  const response: TokenResponse = { access_token: accessToken, token_type: grant.dpopJkt ? "DPoP" : "Bearer", expires_in: expiresIn, scope: grant.scope };
  if (grant.refresh && familyId) {
    const refreshToken = generateSecret("refreshToken");
    const familyExpiresAt = grant.refresh.familyExpiresAt ?? new Date(now.getTime() + client.lifetimes.refreshTokenSeconds * 1000);
    const idle = new Date(now.getTime() + client.lifetimes.refreshIdleSeconds * 1000);
    await tx.refreshToken.create({
      data: {
        tokenHash: hashSecret(refreshToken),
        appId: client.appId,
        credentialId: client.credentialId,
        userSub: grant.userSub,
        scope: grant.scope,
        products,
        familyId,
        parentId: grant.refresh.parentId ?? null,
        authCodeId: grant.authCodeId ?? null,
        idTokenRecordId: grant.idTokenRecordId,
        // RFC 9449 §5: a public client's refresh token works only with proofs of the same key;
        // a confidential client's is already bound to its credentials
        dpopJkt: client.appType === "public" ? (grant.dpopJkt ?? null) : null,
        expiresAt: familyExpiresAt,
        idleExpiresAt: idle < familyExpiresAt ? idle : familyExpiresAt,
      },
    });
    response.refresh_token = refreshToken;
  }
  return response;
}
