// API proxies: /gateway/{basePath}/… → targetUrl through a policy chain, grouped into
// products. The gateway validates each policy's own configuration; here the
// chain's shape, the base path and the target are checked at save.
import { z } from "zod";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { deleteAudited, saveAudited } from "./audit.ts";
import { writeJson } from "../db/json-columns.ts";
import { PageQuery, pageArgs, adminPage } from "./pagination.ts";
import { parseInput } from "./validation.ts";
import { proxyView, type ProxyView } from "./views.ts";
import { announceProxyChange } from "../events/proxy-changes.ts";
import { compileChain } from "../gateway/chain.ts";
import { refusedTarget } from "../gateway/ssrf.ts";
import { purgeResponseCache } from "../gateway/response-cache/response-cache.ts";
import { pathProblem } from "../gateway/transform/path-rewrite.ts";
import { recordAudit } from "./audit.ts";
import { proxyLifecycleChanged } from "./notification-events.ts";
import { UpstreamInput } from "../gateway/upstreams/config.ts";
import { askTargetHealth, type GatewayTargetHealth } from "../gateway/upstreams/health-reports.ts";

const PolicyStep = z.object({ policy: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/), config: z.record(z.string(), z.unknown()).default({}) }).strict();

export const ProxyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    basePath: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/, { error: "segments of [a-z0-9_-], separated by /" })
      .max(200),
    version: z
      .string()
      .regex(/^[\w.-]{1,20}$/)
      .default("v1"),
    targetUrl: z
      .string()
      .max(2000)
      .refine((v) => /^https?:\/\/[^\s/?#]+/.test(v) && URL.canParse(v) && !new URL(v).username, { error: "must be an http(s) URL without credentials" }),
    policies: z.array(PolicyStep).max(30).default([]),
    idTokenMode: z.enum(["none", "claims", "whole"]).default("none"),
    openApiSpec: z.string().max(2_000_000).nullable().default(null),
    status: z.enum(["active", "disabled"]).default("active"),
    productIds: z.array(z.string()).max(50).default([]),
    /** Deprecation (RFC 9745) and Sunset (RFC 8594) announced on every answer of this version; after sunsetAt it answers 410. */
    deprecatedAt: z.iso.datetime({ offset: true }).nullable().default(null),
    sunsetAt: z.iso.datetime({ offset: true }).nullable().default(null),
    deprecationLink: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .default(null),
    /** When not empty, only these apps may call this version (roll a new version out to chosen apps first). */
    pinnedAppIds: z.array(z.string().min(1).max(64)).max(1000).default([]),
    /** Path rules compare case-insensitively (/ADMIN is /admin) unless the backend's paths are case-sensitive. */
    caseSensitivePaths: z.boolean().default(false),
    /** X-HTTP-Method-Override and its look-alikes: stripped, or honoured on POST and judged as the method. */
    methodOverride: z.enum(["strip", "honour"]).default("strip"),
    /** More targets (the first is targetUrl) and how calls are spread over them: lib/gateway/upstreams/config.ts. */
    upstream: UpstreamInput.default({ algorithm: "round-robin" }),
  })
  .strict();

/** What the gateway would refuse to run: each step's config against its policy's schema,
 * and a target the SSRF guard does not allow. */
function checkRunnable(ctx: PortalContext, fields: { policies: unknown[]; targetUrl: string; upstream: z.infer<typeof UpstreamInput> }): void {
  const compiled = compileChain(fields.policies, { maxRequestBytes: 1024 ** 3 });
  if (!compiled.ok) {
    const fieldsOf = Object.fromEntries(compiled.issues.map((i) => [i.step >= 0 ? `policies[${i.step}]` : "policies", `${i.policy ? i.policy + ": " : ""}${i.message}`]));
    const first = compiled.issues[0]!;
    throw new PortalError("invalid", `Policy step ${first.step >= 0 ? first.step + " " : ""}(${first.policy}): ${first.message}`, { fields: fieldsOf });
  }
  const policy = ctx.gatewayTargets ?? { allowedPrivateTargets: [], ownPort: 0, ownTls: false };
  const refused = refusedTarget(fields.targetUrl, policy);
  if (refused) throw new PortalError("invalid", `targetUrl refused: ${refused}.`, { fields: { targetUrl: refused } });
  // every other target through the same guard
  (fields.upstream.targets ?? []).forEach((target, i) => {
    const why = i > 0 ? refusedTarget(target.url, policy) : null;
    if (why) throw new PortalError("invalid", `Target ${i + 1} refused: ${why}.`, { fields: { [`upstream.targets.${i}.url`]: why } });
  });
}

/** targetUrl is the first target: a client that sends only one of them moves both; one that sends both must agree. */
function withFirstTarget(base: Record<string, unknown>, input: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...base, ...input };
  const given = input.upstream as { targets?: Array<{ url?: unknown }> } | undefined;
  const first = Array.isArray(given?.targets) ? given.targets[0]?.url : undefined;
  if (typeof first === "string") {
    if (typeof input.targetUrl === "string" && input.targetUrl !== first)
      throw new PortalError("invalid", "The first target must be the target URL.", { fields: { "upstream.targets.0.url": "must be the same as targetUrl (the first target)" } });
    merged.targetUrl = first;
  } else if (typeof input.targetUrl === "string" && !given) {
    const kept = base.upstream as { targets?: Array<{ url: string; weight: number }> } | undefined;
    if (kept?.targets?.length) merged.upstream = { ...kept, targets: kept.targets.map((t, i) => (i === 0 ? { ...t, url: input.targetUrl } : t)) };
  }
  return merged;
}

export function listProxies(ctx: PortalContext, actor: Actor, query: unknown) {
  return adminPage(actor, query, PageQuery, (q) => ctx.db.apiProxy.findMany({ include: { products: { include: { product: true } } }, ...pageArgs(q) }), proxyView);
}

export async function getProxy(ctx: PortalContext, actor: Actor, id: string): Promise<ProxyView> {
  if (!isAdmin(actor)) throw forbidden();
  const proxy = await ctx.db.apiProxy.findUnique({ where: { id }, include: { products: { include: { product: true } } } });
  if (!proxy) throw notFound("proxy");
  return proxyView(proxy);
}

export async function saveProxy(ctx: PortalContext, actor: Actor, id: string | null, input: unknown): Promise<ProxyView> {
  if (!isAdmin(actor)) throw forbidden();
  const before = id ? await ctx.db.apiProxy.findUnique({ where: { id }, include: { products: { include: { product: true } } } }) : null;
  if (id && !before) throw notFound("proxy");
  const base = before ? (({ id: _i, createdAt: _c, updatedAt: _u, products, ...rest }) => ({ ...rest, productIds: (products ?? []).map((p) => p.id) }))(proxyView(before)) : {};
  const body = input && typeof input === "object" && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const { productIds, deprecatedAt, sunsetAt, ...fields } = parseInput(ProxyInput, withFirstTarget(base, body));
  checkRunnable(ctx, fields);
  const clash = await ctx.db.apiProxy.findFirst({ where: { basePath: fields.basePath, version: fields.version, NOT: id ? { id } : undefined } });
  if (clash) throw new PortalError("conflict", `Another proxy serves ${fields.basePath} (${fields.version}).`);
  const known = await ctx.db.apiProduct.count({ where: { id: { in: productIds } } });
  if (known !== new Set(productIds).size) throw new PortalError("invalid", "Unknown product in productIds.", { fields: { productIds: "unknown product" } });
  const data = {
    ...fields,
    policies: writeJson(fields.policies),
    pinnedAppIds: writeJson(fields.pinnedAppIds),
    upstream: writeJson(fields.upstream),
    deprecatedAt: deprecatedAt ? new Date(deprecatedAt) : null,
    sunsetAt: sunsetAt ? new Date(sunsetAt) : null,
  };
  const proxy = await saveAudited(ctx, actor, { type: "proxy", before, view: proxyView }, async (tx) => {
    const saved = id ? await tx.apiProxy.update({ where: { id }, data }) : await tx.apiProxy.create({ data });
    await tx.productProxy.deleteMany({ where: { proxyId: saved.id } });
    if (productIds.length) await tx.productProxy.createMany({ data: [...new Set(productIds)].map((productId) => ({ productId, proxyId: saved.id })) });
    await proxyLifecycleChanged(tx, before, saved);
    return tx.apiProxy.findUniqueOrThrow({ where: { id: saved.id }, include: { products: { include: { product: true } } } });
  });
  await announceProxyChange(ctx.store, { proxyId: proxy.id });
  return proxyView(proxy);
}

export async function deleteProxy(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  await deleteAudited(ctx, actor, { type: "proxy", id, view: proxyView }, (tx) => tx.apiProxy);
  await announceProxyChange(ctx.store, { proxyId: id });
}

export const CachePurgeQuery = z
  .object({
    /** Only the answers whose path (after the proxy's base path) starts with this. */
    pathPrefix: z
      .string()
      .max(2000)
      .refine((p) => pathProblem(p) === null, { error: 'must be a path after the base path, like /users/ (canonical: no "..", no "//")' })
      .optional(),
  })
  .strict();

/** Drops a proxy's cached answers (response-cache) on every instance and process: all of them,
 * or those under a path prefix. The next call of each goes to the upstream. */
export async function purgeProxyCache(ctx: PortalContext, actor: Actor, id: string, query: unknown): Promise<void> {
  if (!isAdmin(actor)) throw forbidden();
  const { pathPrefix } = parseInput(CachePurgeQuery, query ?? {});
  const proxy = await ctx.db.apiProxy.findUnique({ where: { id }, select: { id: true } });
  if (!proxy) throw notFound("proxy");
  try {
    await purgeResponseCache(ctx.store, id, pathPrefix);
  } catch {
    throw new PortalError("unavailable", "The cache store cannot be reached; nothing was purged. Try again shortly.");
  }
  await recordAudit(ctx.db, actor, { action: "proxy.cache_purged", targetType: "proxy", targetId: id, after: pathPrefix ? { pathPrefix } : null });
}

/** How each gateway sees the proxy's targets (health, circuit, calls in flight); empty for a
 * proxy with a plain targetUrl, or when no gateway answered in time. */
export async function proxyTargetHealth(ctx: PortalContext, actor: Actor, id: string): Promise<{ proxyId: string; gateways: GatewayTargetHealth[] }> {
  if (!isAdmin(actor)) throw forbidden();
  const proxy = await ctx.db.apiProxy.findUnique({ where: { id }, select: { id: true } });
  if (!proxy) throw notFound("proxy");
  return { proxyId: id, gateways: await askTargetHealth(ctx.store, id) };
}
