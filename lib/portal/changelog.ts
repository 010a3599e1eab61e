// A product's versions and changes: each of its proxies' versions, newest first, with their
// deprecation and sunset dates. A signed-in developer also learns which of those versions their
// own apps are pinned to (only their own: another developer's app names are not theirs to see).
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { notFound } from "./errors.ts";
import { findVisibleApp } from "./app-access.ts";
import { reachableAppsWhere } from "./team-membership.ts";
import { readStringList } from "../db/json-columns.ts";

export type VersionState = "current" | "deprecated" | "sunset" | "disabled";

export interface ChangelogEntry {
  proxyId: string;
  name: string;
  basePath: string;
  version: string;
  status: string;
  state: VersionState;
  deprecatedAt: string | null;
  sunsetAt: string | null;
  deprecationLink: string | null;
  createdAt: string;
  updatedAt: string;
  /** The viewer's apps pinned to this version. */
  yourPinnedApps: { id: string; name: string }[];
}

interface VersionRow {
  id: string;
  name: string;
  basePath: string;
  version: string;
  status: string;
  deprecatedAt: Date | null;
  sunsetAt: Date | null;
  deprecationLink: string | null;
  pinnedAppIds: string;
  createdAt: Date;
  updatedAt: Date;
}

const VERSION_FIELDS = {
  id: true,
  name: true,
  basePath: true,
  version: true,
  status: true,
  deprecatedAt: true,
  sunsetAt: true,
  deprecationLink: true,
  pinnedAppIds: true,
  createdAt: true,
  updatedAt: true,
} as const;

export function versionState(row: Pick<VersionRow, "status" | "deprecatedAt" | "sunsetAt">, now: Date): VersionState {
  if (row.status !== "active") return "disabled";
  if (row.sunsetAt && row.sunsetAt <= now) return "sunset";
  if (row.deprecatedAt && row.deprecatedAt <= now) return "deprecated";
  return "current";
}

const entry = (row: VersionRow, now: Date, apps: Map<string, string>): ChangelogEntry => ({
  proxyId: row.id,
  name: row.name,
  basePath: row.basePath,
  version: row.version,
  status: row.status,
  state: versionState(row, now),
  deprecatedAt: row.deprecatedAt?.toISOString() ?? null,
  sunsetAt: row.sunsetAt?.toISOString() ?? null,
  deprecationLink: row.deprecationLink,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  yourPinnedApps: readStringList(row.pinnedAppIds)
    .filter((id) => apps.has(id))
    .map((id) => ({ id, name: apps.get(id)! })),
});

/** A product's versions, newest first; private products look absent to non-admins, as in the catalog. */
export async function productChangelog(ctx: PortalContext, actor: Actor | null, idOrSlug: string): Promise<ChangelogEntry[]> {
  const product = await ctx.db.apiProduct.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    select: { visibility: true, proxies: { select: { proxy: { select: VERSION_FIELDS } } } },
  });
  if (!product || (product.visibility !== "public" && !(actor && isAdmin(actor)))) throw notFound("product");
  const ownApps = actor?.type === "developer" ? await ctx.db.app.findMany({ where: reachableAppsWhere(actor.developerId), select: { id: true, name: true } }) : [];
  const apps = new Map(ownApps.map((a) => [a.id, a.name]));
  const now = ctx.now?.() ?? new Date();
  return product.proxies
    .map((pp) => pp.proxy)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.version.localeCompare(a.version))
    .map((row) => entry(row, now, apps));
}

export interface PinnedVersion {
  proxyName: string;
  basePath: string;
  version: string;
  state: VersionState;
  deprecatedAt: string | null;
  sunsetAt: string | null;
  deprecationLink: string | null;
}

/** The versions one app is pinned to that are deprecated or have a sunset date (its owner or an admin asks). */
export async function pinnedVersionsEnding(ctx: PortalContext, actor: Actor, appId: string): Promise<PinnedVersion[]> {
  await findVisibleApp(ctx, actor, appId, "read");
  const rows = await ctx.db.apiProxy.findMany({
    where: { pinnedAppIds: { contains: appId }, OR: [{ deprecatedAt: { not: null } }, { sunsetAt: { not: null } }] },
    select: VERSION_FIELDS,
    orderBy: { createdAt: "desc" },
  });
  const now = ctx.now?.() ?? new Date();
  return rows
    .filter((row) => readStringList(row.pinnedAppIds).includes(appId))
    .map((row) => ({
      proxyName: row.name,
      basePath: row.basePath,
      version: row.version,
      state: versionState(row, now),
      deprecatedAt: row.deprecatedAt?.toISOString() ?? null,
      sunsetAt: row.sunsetAt?.toISOString() ?? null,
      deprecationLink: row.deprecationLink,
    }));
}
