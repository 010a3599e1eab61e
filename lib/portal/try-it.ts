// "Try it" in a product's API reference: which of the viewer's apps can authorize Swagger UI
// (subscribed to the product), whether they have registered the page Swagger UI's OAuth popup
// comes back to, and registering it for them.
import type { Actor, PortalContext } from "./context.ts";
import { readStringList } from "../db/json-columns.ts";
import { getApp, updateApp } from "./apps.ts";
import { reachableAppsWhere } from "./team-membership.ts";

/** Served by app/docs/oauth2-redirect: hands the authorization response back to Swagger UI. */
export const TRY_IT_REDIRECT_PATH = "/docs/oauth2-redirect";

export function tryItRedirectUri(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${TRY_IT_REDIRECT_PATH}`;
}

export interface TryItApp {
  id: string;
  name: string;
  type: string;
  clientId: string | null;
  subscription: string;
  redirectRegistered: boolean;
}

/** The product's scopes with the admin's words for them (scopeDescriptions), else the scope itself. */
export function describedScopes(scopes: readonly string[], scopeDescriptions: string | null | undefined): Record<string, string> {
  let words: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(scopeDescriptions ?? "{}");
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) words = parsed as Record<string, unknown>;
  } catch {
    // a malformed column: the scope names alone
  }
  return Object.fromEntries(scopes.map((s) => [s, typeof words[s] === "string" && words[s] ? (words[s] as string) : s]));
}

export async function productScopes(ctx: PortalContext, productId: string): Promise<Record<string, string>> {
  const row = await ctx.db.apiProduct.findUnique({ where: { id: productId }, select: { scopes: true, scopeDescriptions: true } });
  return row ? describedScopes(readStringList(row.scopes), row.scopeDescriptions) : {};
}

/** The viewer's own apps subscribed (approved first, then pending) to the product. */
export async function tryItApps(ctx: PortalContext, actor: Actor, productId: string, publicUrl: string): Promise<TryItApp[]> {
  if (actor.type !== "developer") return [];
  const redirect = tryItRedirectUri(publicUrl);
  const rows = await ctx.db.app.findMany({
    where: { ...reachableAppsWhere(actor.developerId), status: "active", subscriptions: { some: { productId, status: { in: ["approved", "pending"] } } } },
    include: { credentials: { where: { status: "active" }, orderBy: { createdAt: "asc" } }, subscriptions: { where: { productId } } },
    orderBy: { createdAt: "asc" },
    take: 20,
  });
  return rows
    .map((a) => ({
      id: a.id,
      name: a.name,
      type: a.type,
      clientId: a.credentials[0]?.clientId ?? null,
      subscription: a.subscriptions[0]?.status ?? "pending",
      redirectRegistered: readStringList(a.redirectUris).includes(redirect),
    }))
    .sort((a, b) => Number(b.subscription === "approved") - Number(a.subscription === "approved"));
}

/** Adds the Try-it redirect URI to one of the actor's apps (nothing when it is there already). */
export async function addTryItRedirect(ctx: PortalContext, actor: Actor, appId: string, publicUrl: string): Promise<void> {
  const app = await getApp(ctx, actor, appId);
  const redirect = tryItRedirectUri(publicUrl);
  if (app.redirectUris.includes(redirect)) return;
  await updateApp(ctx, actor, appId, { redirectUris: [...app.redirectUris, redirect] });
}
