// The one shape every resource takes in a file, in a plan and in a comparison: a fixed key
// order per resource, lists of resources sorted by natural key, free-form objects (policy
// configs, upstream settings) with their keys sorted, instants as UTC ISO strings. Export →
// apply → export gives the same bytes because both sides go through here.
import type { BotRuleEntry, BrandingEntry, ConfigDocument, GuideEntry, ProductEntry, ProxyEntry, VirtualPatchEntry } from "./schema.ts";
import { DOCUMENT_KEYS, KEY_OF, type ListKind } from "./schema.ts";

/** Code-point order: the same on every machine, whatever its locale. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Plain objects with their keys sorted (undefined members dropped), all the way down. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byText(a, b));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)])) as T;
  }
  return value;
}

const instant = (value: string | null) => (value === null ? null : new Date(value).toISOString());

export const canonicalProduct = (p: ProductEntry): ProductEntry => ({
  slug: p.slug,
  name: p.name,
  description: p.description,
  scopes: [...p.scopes],
  scopeDescriptions: sortKeysDeep(p.scopeDescriptions),
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
  proxies: [...new Set(p.proxies)].sort(byText),
});

export const canonicalProxy = (p: ProxyEntry): ProxyEntry => ({
  name: p.name,
  basePath: p.basePath,
  version: p.version,
  targetUrl: p.targetUrl,
  upstream: sortKeysDeep(p.upstream),
  policies: p.policies.map((step) => ({ policy: step.policy, config: sortKeysDeep(step.config ?? {}) })),
  idTokenMode: p.idTokenMode,
  status: p.status,
  deprecatedAt: instant(p.deprecatedAt),
  sunsetAt: instant(p.sunsetAt),
  deprecationLink: p.deprecationLink,
  caseSensitivePaths: p.caseSensitivePaths,
  methodOverride: p.methodOverride,
  openApiSpec: p.openApiSpec,
});

export const canonicalVirtualPatch = (r: VirtualPatchEntry): VirtualPatchEntry => ({
  name: r.name,
  enabled: r.enabled,
  config: { pattern: r.config.pattern, targets: [...r.config.targets], action: r.config.action, caseInsensitive: r.config.caseInsensitive },
});

export const canonicalBotRule = (r: BotRuleEntry): BotRuleEntry => ({
  kind: r.kind,
  target: r.target,
  action: r.action,
  config: sortKeysDeep(r.config),
  note: r.note,
  enabled: r.enabled,
});

export const canonicalBranding = (b: BrandingEntry): BrandingEntry => ({
  organisation: b.organisation,
  tagline: b.tagline,
  primaryColor: b.primaryColor,
  accentColor: b.accentColor,
  maxRenewalGraceDays: b.maxRenewalGraceDays,
  termsMarkdown: b.termsMarkdown,
});

export const canonicalGuide = (g: GuideEntry): GuideEntry => ({
  slug: g.slug,
  title: g.title,
  product: g.product,
  position: g.position,
  published: g.published,
  body: g.body,
});

export const CANONICAL: { [K in ListKind]: (entry: NonNullable<ConfigDocument[K]>[number]) => NonNullable<ConfigDocument[K]>[number] } = {
  products: canonicalProduct,
  proxies: canonicalProxy,
  virtualPatches: canonicalVirtualPatch,
  botRules: canonicalBotRule,
  guides: canonicalGuide,
};

function sortedList<K extends ListKind>(kind: K, list: NonNullable<ConfigDocument[K]>): NonNullable<ConfigDocument[K]> {
  const canonical = CANONICAL[kind] as (e: unknown) => unknown;
  const key = KEY_OF[kind] as (e: unknown) => string;
  return list.map(canonical).sort((a, b) => byText(key(a), key(b))) as NonNullable<ConfigDocument[K]>;
}

/** The document with its kinds in the file's order and every resource in its canonical shape. */
export function canonicalDocument(doc: ConfigDocument): ConfigDocument {
  const out: Record<string, unknown> = {};
  for (const key of DOCUMENT_KEYS) {
    const value = doc[key];
    if (value === undefined) continue;
    if (key === "branding") out.branding = canonicalBranding(value as BrandingEntry);
    else out[key] = sortedList(key, value as never);
  }
  return out as ConfigDocument;
}
