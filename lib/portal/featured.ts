// The home page's featured products: those admins marked featured, public ones only (a private
// product is never advertised, even to admins looking at the home page).
import type { PortalContext } from "./context.ts";
import { productView, type ProductView } from "./views.ts";

export async function featuredProducts(ctx: PortalContext, limit = 6): Promise<ProductView[]> {
  const rows = await ctx.db.apiProduct.findMany({ where: { featured: true, visibility: "public" }, orderBy: [{ name: "asc" }], take: limit });
  return rows.map(productView);
}
