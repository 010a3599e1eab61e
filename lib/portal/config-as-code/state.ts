// What the installation has now, in the file's terms: every managed resource by natural key, in
// its canonical shape (secrets included: only export and plans hide them), with the ids and rows
// an apply needs. Bot rules for app:, token: and key: identities are not part of it (they name
// this installation's own records), nor are a proxy's pinned apps or the portal's logo.
import type { Database, Transaction, ApiProxy } from "../../db/index.ts";
import { readStringList, readStringMap } from "../../db/json-columns.ts";
import { readUpstream } from "../../gateway/upstreams/config.ts";
import { BotRuleConfig } from "../../security/bot/rules.ts";
import { VirtualPatchConfig, VIRTUAL_PATCH_KIND } from "../../security/virtual-patch.ts";
import { DEFAULT_BRANDING } from "../branding.ts";
import { DEFAULT_MAX_RENEWAL_GRACE_DAYS } from "../credential-settings.ts";
import { canonicalBotRule, canonicalBranding, canonicalGuide, canonicalProduct, canonicalProxy, canonicalVirtualPatch } from "./canonical.ts";
import { isPortableBotRule, proxyKey, type BotRuleEntry, type BrandingEntry, type GuideEntry, type ProductEntry, type ProxyEntry, type VirtualPatchEntry } from "./schema.ts";

type Reader = Database | Transaction;

export interface Stored<E> {
  id: string;
  entry: E;
}

export interface CurrentState {
  products: Map<string, Stored<ProductEntry>>;
  proxies: Map<string, Stored<ProxyEntry> & { row: ApiProxy }>;
  /** Names are not unique in the table: every id under a name. */
  virtualPatches: Map<string, { ids: string[]; entry: VirtualPatchEntry }>;
  botRules: Map<string, Stored<BotRuleEntry>>;
  branding: { stored: boolean; entry: BrandingEntry };
  guides: Map<string, Stored<GuideEntry>>;
}

export const SETTINGS_ID = "portal";

function json(text: string | null, fallback: unknown): unknown {
  try {
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback;
  }
}

/** The gateway sends to targetUrl as the first target whatever the list says (targetsOf); older
 * rows may disagree, and a file says what the gateway does. */
function firstTargetIsTargetUrl(targetUrl: string, upstream: ProxyEntry["upstream"]): ProxyEntry["upstream"] {
  if (!upstream.targets?.length) return upstream;
  return { ...upstream, targets: upstream.targets.map((t, i) => (i === 0 ? { ...t, url: targetUrl } : t)) };
}

function proxyEntry(row: ApiProxy): ProxyEntry {
  const steps = json(row.policies, []);
  return canonicalProxy({
    name: row.name,
    basePath: row.basePath,
    version: row.version,
    targetUrl: row.targetUrl,
    upstream: firstTargetIsTargetUrl(row.targetUrl, readUpstream(row.upstream) ?? { algorithm: "round-robin" }),
    policies: (Array.isArray(steps) ? steps : []).map((s: { policy?: unknown; config?: unknown }) => ({
      policy: String(s?.policy ?? ""),
      config: (s?.config && typeof s.config === "object" ? s.config : {}) as Record<string, unknown>,
    })),
    idTokenMode: row.idTokenMode as ProxyEntry["idTokenMode"],
    status: row.status as ProxyEntry["status"],
    deprecatedAt: row.deprecatedAt?.toISOString() ?? null,
    sunsetAt: row.sunsetAt?.toISOString() ?? null,
    deprecationLink: row.deprecationLink ?? null,
    caseSensitivePaths: row.caseSensitivePaths,
    methodOverride: row.methodOverride as ProxyEntry["methodOverride"],
    openApiSpec: row.openApiSpec ?? null,
  });
}

export async function readState(db: Reader): Promise<CurrentState> {
  const [proxyRows, productRows, patchRows, botRows, settings, guideRows] = await Promise.all([
    db.apiProxy.findMany({ orderBy: { id: "asc" } }),
    db.apiProduct.findMany({ include: { proxies: { select: { proxyId: true } } }, orderBy: { id: "asc" } }),
    db.securityRule.findMany({ where: { kind: VIRTUAL_PATCH_KIND }, orderBy: { id: "asc" } }),
    db.botRule.findMany({ orderBy: { id: "asc" } }),
    db.portalSettings.findUnique({
      where: { id: SETTINGS_ID },
      select: { organisation: true, tagline: true, primaryColor: true, accentColor: true, termsMarkdown: true, maxRenewalGraceDays: true },
    }),
    db.guide.findMany({ include: { product: { select: { slug: true } } }, orderBy: { id: "asc" } }),
  ]);

  const proxies = new Map(proxyRows.map((row) => [proxyKey(row), { id: row.id, row, entry: proxyEntry(row) }]));
  const keyOfProxy = new Map(proxyRows.map((row) => [row.id, proxyKey(row)]));

  const products = new Map(
    productRows.map((p) => [
      p.slug,
      {
        id: p.id,
        entry: canonicalProduct({
          slug: p.slug,
          name: p.name,
          description: p.description,
          scopes: readStringList(p.scopes),
          scopeDescriptions: readStringMap(p.scopeDescriptions),
          approvalType: p.approvalType as ProductEntry["approvalType"],
          visibility: p.visibility as ProductEntry["visibility"],
          quotaLimit: p.quotaLimit,
          quotaIntervalSeconds: p.quotaIntervalSeconds,
          quotaWindow: p.quotaWindow as ProductEntry["quotaWindow"],
          accessTokenTtlSeconds: p.accessTokenTtlSeconds,
          refreshTokenTtlSeconds: p.refreshTokenTtlSeconds,
          refreshIdleTtlSeconds: p.refreshIdleTtlSeconds,
          credentialTtlSeconds: p.credentialTtlSeconds,
          accessTokenFormat: p.accessTokenFormat as ProductEntry["accessTokenFormat"],
          featured: p.featured,
          proxies: p.proxies.map((link) => keyOfProxy.get(link.proxyId)!).filter(Boolean),
        }),
      },
    ]),
  );

  const virtualPatches = new Map<string, { ids: string[]; entry: VirtualPatchEntry }>();
  for (const row of patchRows) {
    const known = virtualPatches.get(row.name);
    if (known) {
      known.ids.push(row.id);
      continue;
    }
    const config = VirtualPatchConfig.safeParse(json(row.config, {}));
    const entry = canonicalVirtualPatch({ name: row.name, enabled: row.enabled, config: config.success ? config.data : (json(row.config, {}) as VirtualPatchEntry["config"]) });
    virtualPatches.set(row.name, { ids: [row.id], entry });
  }

  const botRules = new Map<string, Stored<BotRuleEntry>>();
  for (const row of botRows) {
    if (!isPortableBotRule(row)) continue;
    const config = BotRuleConfig.safeParse(json(row.config, {}));
    const entry = canonicalBotRule({
      kind: row.kind as BotRuleEntry["kind"],
      target: row.target,
      action: row.action as BotRuleEntry["action"],
      config: config.success ? config.data : BotRuleConfig.parse({}),
      note: row.note,
      enabled: row.enabled,
    });
    botRules.set(`${row.kind}:${row.target}`, { id: row.id, entry });
  }

  const branding = {
    stored: settings !== null,
    entry: canonicalBranding({ ...DEFAULT_BRANDING, maxRenewalGraceDays: DEFAULT_MAX_RENEWAL_GRACE_DAYS, ...(settings ?? {}) }),
  };

  const guides = new Map(
    guideRows.map((g) => [
      g.slug,
      { id: g.id, entry: canonicalGuide({ slug: g.slug, title: g.title, body: g.body, product: g.product?.slug ?? null, position: g.position, published: g.published }) },
    ]),
  );

  return { products, proxies, virtualPatches, botRules, branding, guides };
}
