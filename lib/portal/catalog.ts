// The API catalog: what anyone (signed in or not) may see of public products and the proxies
// they group — base path, version and OpenAPI document, never target URLs or policies.
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { notFound } from "./errors.ts";
import { PageQuery, pageArgs, toPage, type Page } from "./pagination.ts";
import { parseInput } from "./validation.ts";
import { productView, type ProductView } from "./views.ts";

export interface CatalogProxy {
  id: string;
  name: string;
  basePath: string;
  version: string;
  /** Where developers call it: /gateway/{basePath}/{version}. */
  gatewayPath: string;
  openApiSpec: string | null;
}

export interface CatalogEntry {
  product: ProductView;
  proxies: CatalogProxy[];
}

/** Public products, newest first (admins see private ones too). `actor` is null for visitors. */
export async function listCatalog(ctx: PortalContext, actor: Actor | null, query: unknown): Promise<Page<ProductView>> {
  const q = parseInput(PageQuery, query);
  const rows = await ctx.db.apiProduct.findMany({ where: actor && isAdmin(actor) ? {} : { visibility: "public" }, ...pageArgs(q) });
  return toPage(rows, q, productView);
}

/** One product by slug (or id) with its active proxies; private products look absent to non-admins. */
export async function productCatalogEntry(ctx: PortalContext, actor: Actor | null, idOrSlug: string): Promise<CatalogEntry> {
  const product = await ctx.db.apiProduct.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    include: { proxies: { include: { proxy: { select: { id: true, name: true, basePath: true, version: true, openApiSpec: true, status: true } } } } },
  });
  if (!product || (product.visibility !== "public" && !(actor && isAdmin(actor)))) throw notFound("product");
  const proxies = product.proxies
    .map((pp) => pp.proxy)
    .filter((p) => p.status === "active")
    .sort((a, b) => a.basePath.localeCompare(b.basePath) || a.version.localeCompare(b.version))
    .map((p) => ({ id: p.id, name: p.name, basePath: p.basePath, version: p.version, gatewayPath: `/gateway/${p.basePath}/${p.version}`, openApiSpec: p.openApiSpec }));
  return { product: productView(product), proxies };
}
