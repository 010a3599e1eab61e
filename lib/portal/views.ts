// What the portal shows of its rows: explicit fields only, so hashes and internal columns can
// never leak into a page or an API response.
import type { ApiProxy } from "../db/index.ts";
import { readUpstream } from "../gateway/upstreams/config.ts";
import { readStringList, readStringMap } from "../db/json-columns.ts";

interface CredentialRow {
  id: string;
  clientId: string;
  secretHint: string | null;
  status: string;
  expiresAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
  replacedById: string | null;
  graceEndsAt: Date | null;
  allowedReferrers: string;
  allowedCidrs: string;
}
interface ProductRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  scopes: string;
  scopeDescriptions: string;
  approvalType: string;
  visibility: string;
  quotaLimit: number | null;
  quotaIntervalSeconds: number | null;
  quotaWindow: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshIdleTtlSeconds: number;
  credentialTtlSeconds: number | null;
  accessTokenFormat: string;
  featured: boolean;
  createdAt: Date;
  updatedAt: Date;
}
interface SubscriptionRow {
  id: string;
  status: string;
  reason: string | null;
  decidedAt: Date | null;
  priorStatus: string | null;
  priorReason: string | null;
  createdAt: Date;
  product: { id: string; slug: string; name: string };
}
interface AppRow {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  type: string;
  redirectUris: string;
  grantTypes: string;
  status: string;
  passwordGrantMode: string | null;
  implicitEnabled: boolean;
  skipConsent: boolean;
  requirePushedAuthorizationRequests: boolean;
  dpopBoundAccessTokens: boolean;
  tokenExchangeIssuers: string;
  clientCertThumbprint: string | null;
  createdAt: Date;
  updatedAt: Date;
  credentials?: CredentialRow[];
  subscriptions?: SubscriptionRow[];
  owner?: { id: string; email: string; name: string };
  teamId?: string | null;
  team?: { id: string; name: string } | null;
}
interface DeveloperRow {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  createdAt: Date;
  suspendedAt: Date | null;
  oktaUserId: string | null;
}
type ProxyRow = ApiProxy & { products?: Array<{ product: { id: string; slug: string } }> };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const credentialView = (c: CredentialRow) => ({
  id: c.id,
  clientId: c.clientId,
  secretHint: c.secretHint,
  status: c.status,
  expiresAt: iso(c.expiresAt),
  createdAt: c.createdAt.toISOString(),
  revokedAt: iso(c.revokedAt),
  /** Renewed: the credential that replaced this one, and when this one stops working. */
  replacedById: c.replacedById,
  graceEndsAt: iso(c.graceEndsAt),
  allowedReferrers: readStringList(c.allowedReferrers),
  allowedCidrs: readStringList(c.allowedCidrs),
});

export const subscriptionView = (s: SubscriptionRow) => ({
  id: s.id,
  status: s.status,
  reason: s.reason,
  decidedAt: iso(s.decidedAt),
  createdAt: s.createdAt.toISOString(),
  // an admin's rejection or revocation that this request asks to overturn
  earlierDecision: s.priorStatus ? { status: s.priorStatus, reason: s.priorReason } : null,
  product: { id: s.product.id, slug: s.product.slug, name: s.product.name },
});

export const appView = (a: AppRow) => ({
  id: a.id,
  ownerId: a.ownerId,
  /** The team the app belongs to; null for a developer's personal app. */
  teamId: a.teamId ?? null,
  team: a.team ? { id: a.team.id, name: a.team.name } : null,
  name: a.name,
  description: a.description,
  type: a.type,
  redirectUris: readStringList(a.redirectUris),
  grantTypes: readStringList(a.grantTypes),
  status: a.status,
  passwordGrantMode: a.passwordGrantMode,
  implicitEnabled: a.implicitEnabled,
  skipConsent: a.skipConsent,
  requirePushedAuthorizationRequests: a.requirePushedAuthorizationRequests,
  dpopBoundAccessTokens: a.dpopBoundAccessTokens,
  tokenExchangeIssuers: readStringList(a.tokenExchangeIssuers),
  clientCertificate: a.clientCertThumbprint ? { thumbprint: a.clientCertThumbprint } : null,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
  ...(a.owner ? { owner: { id: a.owner.id, email: a.owner.email, name: a.owner.name } } : {}),
  ...(a.credentials ? { credentials: a.credentials.map(credentialView) } : {}),
  ...(a.subscriptions ? { subscriptions: a.subscriptions.map(subscriptionView) } : {}),
});

export const productView = (p: ProductRow) => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  description: p.description,
  scopes: readStringList(p.scopes),
  scopeDescriptions: readStringMap(p.scopeDescriptions),
  approvalType: p.approvalType,
  visibility: p.visibility,
  quotaLimit: p.quotaLimit,
  quotaIntervalSeconds: p.quotaIntervalSeconds,
  quotaWindow: p.quotaWindow,
  accessTokenTtlSeconds: p.accessTokenTtlSeconds,
  refreshTokenTtlSeconds: p.refreshTokenTtlSeconds,
  refreshIdleTtlSeconds: p.refreshIdleTtlSeconds,
  credentialTtlSeconds: p.credentialTtlSeconds,
  accessTokenFormat: p.accessTokenFormat,
  featured: p.featured,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export const developerView = (d: DeveloperRow) => ({
  id: d.id,
  email: d.email,
  name: d.name,
  role: d.role,
  status: d.status,
  oktaUserId: d.oktaUserId,
  createdAt: d.createdAt.toISOString(),
  suspendedAt: iso(d.suspendedAt),
});

export const proxyView = (p: ProxyRow) => ({
  id: p.id,
  name: p.name,
  basePath: p.basePath,
  version: p.version,
  targetUrl: p.targetUrl,
  policies: JSON.parse(p.policies) as unknown[],
  idTokenMode: p.idTokenMode,
  openApiSpec: p.openApiSpec,
  status: p.status,
  deprecatedAt: p.deprecatedAt?.toISOString() ?? null,
  sunsetAt: p.sunsetAt?.toISOString() ?? null,
  deprecationLink: p.deprecationLink ?? null,
  pinnedAppIds: JSON.parse(p.pinnedAppIds ?? "[]") as string[],
  caseSensitivePaths: p.caseSensitivePaths ?? false,
  methodOverride: p.methodOverride ?? "strip",
  upstream: readUpstream(p.upstream) ?? {},
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  ...(p.products ? { products: p.products.map((pp) => ({ id: pp.product.id, slug: pp.product.slug })) } : {}),
});

export type AppView = ReturnType<typeof appView>;
export type CredentialView = ReturnType<typeof credentialView>;
export type ProductView = ReturnType<typeof productView>;
export type DeveloperView = ReturnType<typeof developerView>;
export type ProxyView = ReturnType<typeof proxyView>;
export type SubscriptionView = ReturnType<typeof subscriptionView>;
