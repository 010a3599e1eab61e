// Object-level authorization for apps. A personal app is its owner's; a team's app is reached
// through membership of that team, read on every call (viewers read, owners and admins manage);
// admins reach all. For anyone else an app does not exist. Every app-touching operation in
// lib/portal goes through findVisibleApp with the capability it needs.
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { notFound } from "./errors.ts";
import { teamForbidden, teamRoleOf } from "./team-membership.ts";
import { roleAllows, type AppCapability } from "./team-roles.ts";

export type { AppCapability } from "./team-roles.ts";

export const appInclude = {
  credentials: { orderBy: { createdAt: "asc" as const } },
  subscriptions: { include: { product: true } },
  team: { select: { id: true, name: true } },
};

export async function findVisibleApp(ctx: PortalContext, actor: Actor, id: string, capability: AppCapability) {
  const app = await ctx.db.app.findUnique({ where: { id }, include: appInclude });
  if (!app) throw notFound("app");
  if (isAdmin(actor)) return app;
  if (actor.type !== "developer") throw notFound("app");
  if (!app.teamId) {
    if (app.ownerId !== actor.developerId) throw notFound("app");
    return app;
  }
  const role = await teamRoleOf(ctx.db, app.teamId, actor.developerId);
  if (!role) throw notFound("app");
  if (!roleAllows(role, capability)) throw teamForbidden("changing this app");
  return app;
}

/** What the actor may do with an app they can see (pages show or hide changes by it). */
export async function appCapability(ctx: PortalContext, actor: Actor, app: { ownerId: string; teamId: string | null }): Promise<AppCapability> {
  if (isAdmin(actor) || !app.teamId) return "manage";
  const role = actor.type === "developer" ? await teamRoleOf(ctx.db, app.teamId, actor.developerId) : null;
  return role && roleAllows(role, "manage") ? "manage" : "read";
}
