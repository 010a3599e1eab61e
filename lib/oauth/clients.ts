// An OAuth client as the authorization server sees it: a credential of an app, with what the
// app's approved product subscriptions grant (scopes, products, token lifetimes).
import type { Database } from "../db/index.ts";
import { readStringList } from "../db/json-columns.ts";
import { redirectOrigins } from "./browser-origins.ts";
import { accessTokenFormat, type AccessTokenFormat } from "./tokens/jwt-access-token.ts";
import { credentialRestrictions, type CredentialRestrictions } from "../security/credential-restrictions.ts";

export interface OAuthClient {
  clientId: string;
  credentialId: string;
  secretHash: string | null;
  appId: string;
  appName: string;
  appType: "confidential" | "public";
  developerId: string;
  grantTypes: Set<string>;
  passwordGrantMode: string | null;
  /** RFC 8705 x5t#S256 of the app's registered client certificate (tls_client_auth, bound tokens). */
  certificateThumbprint: string | null;
  /** RFC 9126 §6: authorization requests only through a pushed authorization request. */
  requirePushedAuthorizationRequests: boolean;
  /** RFC 9449 §5.2: token requests without a DPoP proof are refused. */
  dpopBoundAccessTokens: boolean;
  /** RFC 8693: issuers whose tokens the app may exchange (an admin's choice; empty: none). */
  tokenExchangeIssuers: string[];
  /** Scenario 2: the app's matching client in Okta (the `cid` of its Okta access tokens). */
  oktaClientId: string | null;
  /** Whether the credential, app and developer may obtain tokens now. */
  usable: boolean;
  /** When the credential stops working (its expiry, or the end of its grace period after a
   * renewal), in ms; checked on every use, since a cached client may outlive that instant. */
  validUntil: number | null;
  /** The pages (Origin/Referer) and source ranges the credential may be used from. */
  restrictions: CredentialRestrictions;
  /** Union of the approved products' scopes. */
  allowedScopes: Set<string>;
  productIds: string[];
  /** Browser origins a public client's requests may come from (its redirect URIs' origins). */
  browserOrigins: ReturnType<typeof redirectOrigins>;
  /** The approved products' slugs: a JWT access token's audience. */
  productSlugs: string[];
  /** JWT when any approved product asks for it (see tokens/jwt-access-token.ts). */
  accessTokenFormat: AccessTokenFormat;
  /** Shortest lifetimes among the approved products (defaults when none set them). */
  lifetimes: { accessTokenSeconds: number; refreshTokenSeconds: number; refreshIdleSeconds: number };
}

const DEFAULT_LIFETIMES = { accessTokenSeconds: 3600, refreshTokenSeconds: 30 * 86400, refreshIdleSeconds: 7 * 86400 };

export async function findClient(db: Database, clientId: string, now = new Date()): Promise<OAuthClient | null> {
  const credential = await db.credential.findUnique({
    where: { clientId },
    include: { app: { include: { owner: true, subscriptions: { where: { status: "approved" }, include: { product: true } } } } },
  });
  if (!credential) return null;
  const { app } = credential;
  const products = app.subscriptions.map((s) => s.product);
  const min = (values: number[], fallback: number) => (values.length ? Math.min(...values) : fallback);
  const validUntil = credentialValidUntil(credential);
  return {
    clientId,
    credentialId: credential.id,
    secretHash: credential.secretHash,
    appId: app.id,
    appName: app.name,
    appType: app.type === "public" ? "public" : "confidential",
    developerId: app.ownerId,
    grantTypes: new Set(readStringList(app.grantTypes)),
    passwordGrantMode: app.passwordGrantMode,
    certificateThumbprint: app.clientCertThumbprint,
    requirePushedAuthorizationRequests: app.requirePushedAuthorizationRequests,
    dpopBoundAccessTokens: app.dpopBoundAccessTokens,
    tokenExchangeIssuers: readStringList(app.tokenExchangeIssuers),
    oktaClientId: app.oktaClientId,
    usable: credential.status === "active" && (validUntil === null || validUntil > now.getTime()) && app.status === "active" && app.owner.status === "active",
    validUntil,
    restrictions: credentialRestrictions(credential.allowedReferrers, credential.allowedCidrs),
    allowedScopes: new Set(products.flatMap((p) => readStringList(p.scopes))),
    productIds: products.map((p) => p.id),
    browserOrigins: redirectOrigins(readStringList(app.redirectUris)),
    productSlugs: products.map((p) => p.slug),
    accessTokenFormat: accessTokenFormat(products),
    lifetimes: {
      accessTokenSeconds: min(
        products.map((p) => p.accessTokenTtlSeconds),
        DEFAULT_LIFETIMES.accessTokenSeconds,
      ),
      refreshTokenSeconds: min(
        products.map((p) => p.refreshTokenTtlSeconds),
        DEFAULT_LIFETIMES.refreshTokenSeconds,
      ),
      refreshIdleSeconds: min(
        products.map((p) => p.refreshIdleTtlSeconds),
        DEFAULT_LIFETIMES.refreshIdleSeconds,
      ),
    },
  };
}

/** The instant a credential stops working: the earlier of its expiry and its grace period's end. */
export function credentialValidUntil(credential: { expiresAt: Date | null; graceEndsAt: Date | null }): number | null {
  const ends = [credential.expiresAt, credential.graceEndsAt].filter((d): d is Date => d !== null).map((d) => d.getTime());
  return ends.length ? Math.min(...ends) : null;
}

/** Whether the client may be used at this instant (see `usable` and `validUntil`). */
export function clientUsable(client: OAuthClient, now = Date.now()): boolean {
  return client.usable && (client.validUntil === null || client.validUntil > now);
}
