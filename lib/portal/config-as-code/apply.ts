// Applying a document: the plan computed again inside one database transaction (so it sees what
// it changes), every write and one audit event in that transaction — a failure anywhere rolls
// everything back — and, after the commit, what saving the same resources through the
// management API announces: proxy and product changes to every gateway, a product's changed
// scopes or lifetimes to the token endpoint's client caches, security and bot rules reloads.
// Deprecation and sunset notifications are written in the transaction, as saveProxy does.
import type { ApiProxy, Transaction } from "../../db/index.ts";
import { writeJson } from "../../db/json-columns.ts";
import { announceAppChange } from "../../events/app-changes.ts";
import { publish } from "../../events/bus.ts";
import { announceProxyChange } from "../../events/proxy-changes.ts";
import { topics } from "../../events/topics.ts";
import { VIRTUAL_PATCH_KIND } from "../../security/virtual-patch.ts";
import { recordAudit } from "../audit.ts";
import { isAdmin, type Actor, type PortalContext } from "../context.ts";
import { forbidden, PortalError } from "../errors.ts";
import { proxyLifecycleChanged } from "../notification-events.ts";
import type { ConfigApplyOptions, ConfigChange } from "./contract.ts";
import { checkedDocument, computePlan, type Plan } from "./plan.ts";
import type { ConfigDocument, ProductEntry, ProxyEntry } from "./schema.ts";
import { readState, SETTINGS_ID, type CurrentState } from "./state.ts";

/** Long enough for a large organisation's file on a busy machine; Prisma's default is 5 s. */
const TRANSACTION_TIMEOUT_MS = 120_000;
/** The audit event names the resources of an apply up to this many (the counts are always whole). */
const MAX_AUDITED_RESOURCES = 200;

const proxyColumns = (p: ProxyEntry) => ({
  name: p.name,
  basePath: p.basePath,
  version: p.version,
  targetUrl: p.targetUrl,
  upstream: writeJson(p.upstream),
  policies: writeJson(p.policies),
  idTokenMode: p.idTokenMode,
  status: p.status,
  deprecatedAt: p.deprecatedAt ? new Date(p.deprecatedAt) : null,
  sunsetAt: p.sunsetAt ? new Date(p.sunsetAt) : null,
  deprecationLink: p.deprecationLink,
  caseSensitivePaths: p.caseSensitivePaths,
  methodOverride: p.methodOverride,
  openApiSpec: p.openApiSpec,
});

const productColumns = ({ proxies: _links, ...p }: ProductEntry) => ({ ...p, scopes: writeJson(p.scopes), scopeDescriptions: writeJson(p.scopeDescriptions) });

interface Announcements {
  proxyIds: string[];
  /** Products whose settings changed or which were deleted: apps' cached grants are stale. */
  appProductIds: string[];
  /** Products whose proxies changed: gateway registries reload their links. */
  linkProductIds: string[];
  securityRules: boolean;
  botRules: boolean;
}

async function write(tx: Transaction, plan: Plan, state: CurrentState): Promise<Announcements> {
  const proxyIds = new Map([...state.proxies].map(([key, p]) => [key, p.id]));
  const saved: Array<{ before: ApiProxy | null; id: string }> = [];
  for (const p of plan.proxies) {
    const data = proxyColumns(p.entry);
    const row = p.id ? await tx.apiProxy.update({ where: { id: p.id }, data }) : await tx.apiProxy.create({ data });
    proxyIds.set(p.key, row.id);
    saved.push({ before: state.proxies.get(p.key)?.row ?? null, id: row.id });
  }

  const productIds = new Map([...state.products].map(([slug, p]) => [slug, p.id]));
  for (const p of plan.products) {
    const data = productColumns(p.entry);
    const row = p.id ? await tx.apiProduct.update({ where: { id: p.id }, data }) : await tx.apiProduct.create({ data });
    productIds.set(p.key, row.id);
    if (!p.linksChanged) continue;
    await tx.productProxy.deleteMany({ where: { productId: row.id } });
    const links = p.entry.proxies.map((ref) => ({ productId: row.id, proxyId: proxyIds.get(ref)! }));
    if (links.length) await tx.productProxy.createMany({ data: links });
  }
  // after the links, so the notification reaches the apps of the products the proxy is in now
  for (const { before, id } of saved) await proxyLifecycleChanged(tx, before, await tx.apiProxy.findUniqueOrThrow({ where: { id } }));

  for (const g of plan.guides) {
    const data = {
      slug: g.entry.slug,
      title: g.entry.title,
      body: g.entry.body,
      position: g.entry.position,
      published: g.entry.published,
      productId: g.entry.product ? productIds.get(g.entry.product)! : null,
    };
    if (g.id) await tx.guide.update({ where: { id: g.id }, data });
    else await tx.guide.create({ data });
  }
  for (const r of plan.virtualPatches) {
    const data = { kind: VIRTUAL_PATCH_KIND, name: r.entry.name, enabled: r.entry.enabled, config: JSON.stringify(r.entry.config) };
    if (r.id) await tx.securityRule.update({ where: { id: r.id }, data });
    else await tx.securityRule.create({ data });
  }
  for (const r of plan.botRules) {
    const data = { kind: r.entry.kind, target: r.entry.target, action: r.entry.action, config: JSON.stringify(r.entry.config), note: r.entry.note, enabled: r.entry.enabled };
    if (r.id) await tx.botRule.update({ where: { id: r.id }, data });
    else await tx.botRule.create({ data });
  }
  if (plan.branding) await tx.portalSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, ...plan.branding }, update: plan.branding });

  // deletes last: a guide moved off a pruned product is moved before the product goes
  const { deletes } = plan;
  if (deletes.guides.length) await tx.guide.deleteMany({ where: { id: { in: deletes.guides } } });
  if (deletes.products.length) await tx.apiProduct.deleteMany({ where: { id: { in: deletes.products } } });
  if (deletes.proxies.length) await tx.apiProxy.deleteMany({ where: { id: { in: deletes.proxies } } });
  if (deletes.virtualPatches.length) await tx.securityRule.deleteMany({ where: { id: { in: deletes.virtualPatches }, kind: VIRTUAL_PATCH_KIND } });
  if (deletes.botRules.length) await tx.botRule.deleteMany({ where: { id: { in: deletes.botRules } } });

  const updatedProducts = plan.products.filter((p) => p.id).map((p) => p.id!);
  return {
    proxyIds: [...saved.map((s) => s.id), ...deletes.proxies],
    appProductIds: [...updatedProducts, ...deletes.products],
    linkProductIds: [...plan.products.filter((p) => p.linksChanged).map((p) => productIds.get(p.key)!), ...deletes.products],
    securityRules: plan.virtualPatches.length + deletes.virtualPatches.length > 0,
    botRules: plan.botRules.length + deletes.botRules.length > 0,
  };
}

/** Counts per kind and action, for the audit event. */
function counts(changes: ConfigChange[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const c of changes) {
    const kind = (out[c.kind] ??= {});
    kind[c.action] = (kind[c.action] ?? 0) + 1;
  }
  return out;
}

/** Applies the document in one transaction (all or nothing) and returns what changed; a second
 * apply of the same document returns [] and writes nothing. */
export async function applyConfig(ctx: PortalContext, actor: Actor, doc: ConfigDocument, options: ConfigApplyOptions): Promise<ConfigChange[]> {
  if (!isAdmin(actor)) throw forbidden();
  const checked = checkedDocument(doc);
  const outcome = await ctx.db
    .$transaction(
      async (tx) => {
        const state = await readState(tx);
        const plan = computePlan(ctx, checked, state, options);
        if (!plan.changes.length) return null;
        const announcements = await write(tx, plan, state);
        await recordAudit(tx, actor, {
          action: "config.apply",
          targetType: "config",
          after: {
            prune: options.prune,
            changes: plan.changes.length,
            counts: counts(plan.changes),
            resources: plan.changes.slice(0, MAX_AUDITED_RESOURCES).map((c) => `${c.action} ${c.kind} ${c.key}`),
          },
        });
        return { changes: plan.changes, announcements };
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 10_000 },
    )
    .catch((error: unknown) => {
      // another change made the same resource between this apply's read and its write
      if ((error as { code?: unknown } | null)?.code === "P2002")
        throw new PortalError("conflict", "The configuration changed while it was being applied; nothing was changed. Plan and apply again.");
      throw error;
    });
  if (!outcome) return [];
  await announce(ctx, outcome.announcements);
  return outcome.changes;
}

/** After the commit. A store that cannot be reached only delays the reloads to each instance's
 * periodic refresh; the change itself is made, so the caller still hears what changed. */
async function announce(ctx: PortalContext, a: Announcements): Promise<void> {
  await Promise.allSettled([
    ...a.proxyIds.map((proxyId) => announceProxyChange(ctx.store, { proxyId })),
    ...[...new Set(a.linkProductIds)].map((productId) => announceProxyChange(ctx.store, { productId })),
    ...[...new Set(a.appProductIds)].map((productId) => announceAppChange(ctx.store, { productId })),
    ...(a.securityRules ? [publish(ctx.store, topics.securityRules, {})] : []),
    ...(a.botRules ? [publish(ctx.store, topics.botRules, {})] : []),
  ]);
}
