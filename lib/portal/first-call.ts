// What an app's "Getting started" needs: its products still in play (approved or pending) with
// their active proxies, turned into first-call snippets. The caller has already checked that
// the viewer may see the app (getApp).
import type { PortalContext } from "./context.ts";
import { readStringList } from "../db/json-columns.ts";
import { firstCallPlan, type FirstCallPlan, type FirstCallProduct } from "./snippets.ts";
import type { AppView } from "./views.ts";

export async function firstCallFor(ctx: PortalContext, app: AppView, publicUrl: string): Promise<FirstCallPlan> {
  const live = (app.subscriptions ?? []).filter((s) => s.status === "approved" || s.status === "pending");
  const rows = await ctx.db.apiProduct.findMany({
    where: { id: { in: live.map((s) => s.product.id) } },
    include: { proxies: { include: { proxy: { select: { basePath: true, version: true, openApiSpec: true, status: true } } } } },
  });
  const products: FirstCallProduct[] = live.flatMap((s) => {
    const row = rows.find((r) => r.id === s.product.id);
    if (!row) return [];
    const proxies = row.proxies
      .map((pp) => pp.proxy)
      .filter((p) => p.status === "active")
      .sort((a, b) => a.basePath.localeCompare(b.basePath) || a.version.localeCompare(b.version));
    return [{ name: row.name, status: s.status as FirstCallProduct["status"], scopes: readStringList(row.scopes), proxies }];
  });
  // approved first: the call the snippets make should be one that can succeed
  products.sort((a, b) => (a.status === b.status ? 0 : a.status === "approved" ? -1 : 1));
  const credential = app.credentials?.find((c) => c.status === "active");
  return firstCallPlan(
    publicUrl,
    { clientId: credential?.clientId ?? "YOUR_CLIENT_ID", type: app.type === "public" ? "public" : "confidential", redirectUris: app.redirectUris },
    products,
  );
}
