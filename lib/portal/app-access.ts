// Object-level authorization for apps: owners reach their own apps, admins all;
// for anyone else an app does not exist.
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { notFound } from "./errors.ts";

export const appInclude = { credentials: { orderBy: { createdAt: "asc" as const } }, subscriptions: { include: { product: true } } };

export async function findVisibleApp(ctx: PortalContext, actor: Actor, id: string) {
  const app = await ctx.db.app.findUnique({ where: { id }, include: appInclude });
  if (!app || (!isAdmin(actor) && !(actor.type === "developer" && app.ownerId === actor.developerId))) throw notFound("app");
  return app;
}
