// API products: what apps subscribe to — scopes, quota, approval type, token lifetimes and
// credential expiry. Admins manage them; developers see the public ones in the catalog.
import { z } from "zod";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { deleteAudited, saveAudited } from "./audit.ts";
import { writeJson } from "../db/json-columns.ts";
import { PageQuery, pageArgs, toPage } from "./pagination.ts";
import { parseInput } from "./validation.ts";
import { announceAppChange } from "../events/app-changes.ts";
import { announceProxyChange } from "../events/proxy-changes.ts";
import { productView, type ProductView } from "./views.ts";

const Scope = z.string().regex(/^[\w.:/-]{1,64}$/, { error: "scopes are 1–64 of [A-Za-z0-9_.:/-]" });
/** What a scope lets an app do, in words end users read on the consent page. */
const ScopeWords = z.string().trim().min(1, { error: "describe the scope, or leave it out" }).max(200);
const Seconds = (max: number) => z.number().int().min(60).max(max);

export const ProductInput = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "lower-case letters, digits and dashes" }),
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(5000).default(""),
    scopes: z.array(Scope).max(50).default([]),
    /** Scope → words, only for the product's own scopes. */
    scopeDescriptions: z.record(Scope, ScopeWords).default({}),
    approvalType: z.enum(["auto", "manual"]).default("auto"),
    visibility: z.enum(["public", "private"]).default("public"),
    quotaLimit: z.number().int().min(1).max(1e9).nullable().default(null),
    quotaIntervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(31 * 86400)
      .nullable()
      .default(null),
    quotaWindow: z.enum(["rolling", "calendar"]).default("rolling"),
    accessTokenTtlSeconds: Seconds(86400).default(3600),
    refreshTokenTtlSeconds: Seconds(365 * 86400).default(30 * 86400),
    refreshIdleTtlSeconds: Seconds(365 * 86400).default(7 * 86400),
    credentialTtlSeconds: Seconds(10 * 365 * 86400)
      .nullable()
      .default(null),
    /** How its access tokens look: opaque, or RFC 9068 JWTs backends can validate offline. */
    accessTokenFormat: z.enum(["opaque", "jwt"]).default("opaque"),
    /** Shown on the home page (public products only). */
    featured: z.boolean().default(false),
  })
  .strict()
  .refine((p) => (p.quotaLimit === null) === (p.quotaIntervalSeconds === null), { error: "quotaLimit and quotaIntervalSeconds go together", path: ["quotaLimit"] })
  .refine((p) => Object.keys(p.scopeDescriptions).every((scope) => p.scopes.includes(scope)), {
    error: "describe only the product's own scopes",
    path: ["scopeDescriptions"],
  });

const toColumns = (p: z.infer<typeof ProductInput>) => ({ ...p, scopes: writeJson(p.scopes), scopeDescriptions: writeJson(p.scopeDescriptions) });

/** A change of scopes alone drops the words of the scopes it removes. */
function keptDescriptions(current: ProductView, input: object): Partial<ProductView> {
  if ("scopeDescriptions" in input || !("scopes" in input) || !Array.isArray(input.scopes)) return {};
  const scopes = input.scopes as unknown[];
  return { scopeDescriptions: Object.fromEntries(Object.entries(current.scopeDescriptions).filter(([scope]) => scopes.includes(scope))) };
}

export async function listProducts(ctx: PortalContext, actor: Actor, query: unknown) {
  const q = parseInput(PageQuery, query);
  const rows = await ctx.db.apiProduct.findMany({ where: isAdmin(actor) ? {} : { visibility: "public" }, ...pageArgs(q) });
  return toPage(rows, q, productView);
}

export async function getProduct(ctx: PortalContext, actor: Actor, idOrSlug: string): Promise<ProductView> {
  const product = await ctx.db.apiProduct.findFirst({ where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] } });
  if (!product || (product.visibility !== "public" && !isAdmin(actor))) throw notFound("product");
  return productView(product);
}

export async function createProduct(ctx: PortalContext, actor: Actor, input: unknown): Promise<ProductView> {
  if (!isAdmin(actor)) throw forbidden();
  const data = toColumns(parseInput(ProductInput, input));
  if (await ctx.db.apiProduct.findUnique({ where: { slug: data.slug } })) throw new PortalError("conflict", `A product with slug ${data.slug} exists.`);
  const product = await saveAudited(ctx, actor, { type: "product", before: null, view: productView }, (tx) => tx.apiProduct.create({ data }));
  return productView(product);
}

export async function updateProduct(ctx: PortalContext, actor: Actor, id: string, input: unknown): Promise<ProductView> {
  if (!isAdmin(actor)) throw forbidden();
  const before = await ctx.db.apiProduct.findUnique({ where: { id } });
  if (!before) throw notFound("product");
  const { id: _id, createdAt: _created, updatedAt: _updated, ...current } = productView(before);
  const change = typeof input === "object" && input !== null ? input : {};
  const data = toColumns(parseInput(ProductInput, { ...current, ...keptDescriptions(productView(before), change), ...change }));
  const product = await saveAudited(ctx, actor, { type: "product", before, view: productView }, (tx) => tx.apiProduct.update({ where: { id }, data }));
  await announceAppChange(ctx.store, { productId: id });
  return productView(product);
}

export async function deleteProduct(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  await deleteAudited(ctx, actor, { type: "product", id, view: productView }, (tx) => tx.apiProduct);
  await announceProxyChange(ctx.store, { productId: id }); // its proxy links went with it
  await announceAppChange(ctx.store, { productId: id });
}
