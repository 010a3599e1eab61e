// Guides: Markdown pages admins write, for the whole portal or for one product. Published
// guides are for everyone who may see what they are about: a private product's guides only for
// those who see the product (admins, as in the catalog). Drafts are for admins only.
import { z } from "zod";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { deleteAudited, saveAudited } from "./audit.ts";
import { PageQuery, pageArgs, toPage, type Page } from "./pagination.ts";
import { parseInput } from "./validation.ts";

export const GuideInput = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: "lower-case letters, digits and dashes, at most 80, e.g. getting-started" }),
    title: z.string().trim().min(1, { error: "a guide needs a title" }).max(120, { error: "at most 120 characters" }),
    body: z.string().max(100_000, { error: "at most 100,000 characters" }).default(""),
    /** The product it is about (id or slug), or null for a portal-wide guide. */
    productId: z.string().min(1).max(100).nullable().default(null),
    /** Lists show lower positions first. */
    position: z.number().int().min(0).max(10_000).default(0),
    published: z.boolean().default(true),
  })
  .strict();

const ListQuery = PageQuery.extend({
  productId: z.string().max(100).optional(),
  /** "portal": portal-wide guides only. */
  scope: z.enum(["portal", "all"]).default("all"),
});

interface GuideRow {
  id: string;
  slug: string;
  title: string;
  body: string;
  productId: string | null;
  position: number;
  published: boolean;
  createdAt: Date;
  updatedAt: Date;
  product?: { slug: string; name: string } | null;
}

export const guideView = (g: GuideRow) => ({
  id: g.id,
  slug: g.slug,
  title: g.title,
  body: g.body,
  productId: g.productId,
  product: g.product ? { slug: g.product.slug, name: g.product.name } : null,
  position: g.position,
  published: g.published,
  createdAt: g.createdAt.toISOString(),
  updatedAt: g.updatedAt.toISOString(),
});
export type GuideView = ReturnType<typeof guideView>;

const withProduct = { product: { select: { slug: true, name: true } } } as const;

/** What a viewer may see: everything for admins; otherwise published guides not about a private product. */
function visibleTo(actor: Actor | null) {
  if (actor && isAdmin(actor)) return {};
  return { published: true, OR: [{ productId: null }, { product: { visibility: "public" } }] };
}

/** Management API list: newest first, paginated; `productId` (id or slug) or `scope=portal` narrow it. */
export async function listGuides(ctx: PortalContext, actor: Actor | null, query: unknown): Promise<Page<GuideView>> {
  const q = parseInput(ListQuery, query);
  const about = q.productId ? { product: { OR: [{ id: q.productId }, { slug: q.productId }] } } : q.scope === "portal" ? { productId: null } : {};
  const rows = await ctx.db.guide.findMany({ where: { AND: [visibleTo(actor), about] }, include: withProduct, ...pageArgs(q) });
  return toPage(rows, q, guideView);
}

/** For pages: the guides of one product (or the portal-wide ones when null), in reading order. */
export async function guidesAbout(ctx: PortalContext, actor: Actor | null, productId: string | null): Promise<GuideView[]> {
  const rows = await ctx.db.guide.findMany({
    where: { AND: [visibleTo(actor), { productId }] },
    include: withProduct,
    orderBy: [{ position: "asc" }, { title: "asc" }],
    take: 200,
  });
  return rows.map(guideView);
}

export async function getGuide(ctx: PortalContext, actor: Actor | null, idOrSlug: string): Promise<GuideView> {
  const guide = await ctx.db.guide.findFirst({ where: { AND: [visibleTo(actor), { OR: [{ id: idOrSlug }, { slug: idOrSlug }] }] }, include: withProduct });
  if (!guide) throw notFound("guide");
  return guideView(guide);
}

/** An admin creates (id null) or changes a guide; on change, the fields not given keep their values. */
export async function saveGuide(ctx: PortalContext, actor: Actor, id: string | null, input: unknown): Promise<GuideView> {
  if (!isAdmin(actor)) throw forbidden();
  const before = id ? await ctx.db.guide.findUnique({ where: { id } }) : null;
  if (id && !before) throw notFound("guide");
  const current = before ? { slug: before.slug, title: before.title, body: before.body, productId: before.productId, position: before.position, published: before.published } : {};
  const guide = parseInput(GuideInput, { ...current, ...(typeof input === "object" && input ? input : {}) });
  const productId = guide.productId ? await productIdOf(ctx, guide.productId) : null;
  const clash = await ctx.db.guide.findUnique({ where: { slug: guide.slug } });
  if (clash && clash.id !== id) throw new PortalError("conflict", `Another guide already uses the address ${guide.slug}.`, { fields: { slug: "already used by another guide" } });
  const data = { ...guide, productId };
  const saved = await saveAudited(ctx, actor, { type: "guide", before, view: auditView }, (tx) =>
    id ? tx.guide.update({ where: { id }, data, include: withProduct }) : tx.guide.create({ data, include: withProduct }),
  );
  return guideView(saved);
}

export async function deleteGuide(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  await deleteAudited(ctx, actor, { type: "guide", id, view: auditView }, (tx) => tx.guide);
}

// The audit keeps what identifies a guide and how long it was, not every word of it.
const auditView = (g: GuideRow) => ({ slug: g.slug, title: g.title, productId: g.productId, published: g.published, position: g.position, bodyLength: g.body.length });

async function productIdOf(ctx: PortalContext, ref: string): Promise<string> {
  const product = await ctx.db.apiProduct.findFirst({ where: { OR: [{ id: ref }, { slug: ref }] }, select: { id: true } });
  if (!product) throw new PortalError("invalid", `There is no product ${ref}.`, { fields: { productId: "no such product" } });
  return product.id;
}
