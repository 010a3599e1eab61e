// Analytics for pages and the management API, scoped by who asks. The dashboards parse the
// range, pick the bucket and decide the scope from the actor — an admin sees everything, a
// developer only events of the apps they own, whatever filters they pass. An app's usage is
// shown after the same visibility check every app operation uses (BOLA: anyone else's app does
// not exist).
import { z } from "zod";
import { bucketFor, dashboard, dashboardCsv, type Dashboard } from "../analytics/dashboard-queries.ts";
import { hourlyUsage, type AppUsage } from "../analytics/usage.ts";
import { findVisibleApp } from "./app-access.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { PortalError } from "./errors.ts";
import { parseInput } from "./validation.ts";

const MAX_RANGE_MS = 92 * 86_400_000;

export const DashboardQuery = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    proxyId: z.string().min(1).max(64).optional(),
    appId: z.string().min(1).max(64).optional(),
    /** "mine" lets an admin look at the developer view of their own apps. */
    view: z.enum(["all", "mine"]).default("all"),
  })
  .strict()
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["from"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_RANGE_MS, { message: "range is at most 92 days", path: ["to"] });

export async function analyticsDashboard(ctx: PortalContext, actor: Actor, query: unknown): Promise<Dashboard> {
  const q = parseInput(DashboardQuery, query);
  const from = new Date(q.from);
  const to = new Date(q.to);
  const everything = isAdmin(actor) && q.view === "all";
  if (!everything && actor.type !== "developer") throw new PortalError("forbidden", "No developer to scope to.");
  const scope = everything ? ({ kind: "all" } as const) : { kind: "developer" as const, developerId: (actor as { developerId: string }).developerId };
  return dashboard(ctx.db, { from, to, bucket: bucketFor(from, to), scope, proxyId: q.proxyId, appId: q.appId });
}

export async function analyticsCsv(ctx: PortalContext, actor: Actor, query: unknown): Promise<string> {
  return dashboardCsv(await analyticsDashboard(ctx, actor, query));
}

export const UsageQuery = z.object({
  /** How far back, in hours (default one day, at most 30 days). */
  hours: z.coerce.number().int().min(1).max(720).default(24),
});

export async function appUsage(ctx: PortalContext, actor: Actor, appId: string, query: unknown): Promise<AppUsage> {
  await findVisibleApp(ctx, actor, appId, "read");
  const { hours } = parseInput(UsageQuery, query);
  return hourlyUsage(ctx.db, appId, hours, ctx.now?.() ?? new Date());
}
