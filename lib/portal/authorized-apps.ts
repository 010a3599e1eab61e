// The apps a signed-in person let act for them: every app holding their consent or live tokens
// issued to them (their Okta `sub`, the same subject the authorization server records), and
// taking one app's access away — its tokens for this person end and the consent is forgotten,
// so the app must ask again. Other people's grants and this person's other apps stay.
import { z } from "zod";
import type { Actor, PortalContext } from "./context.ts";
import { forbidden, notFound } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { parseInput } from "./validation.ts";
import { withRevocations } from "../oauth/tokens/revocation.ts";
import { inWords, scopeDescriptionsOf, type ScopeInWords } from "../oauth/scope-words.ts";

export interface AuthorizedApp {
  appId: string;
  appName: string;
  /** The name of the developer who publishes the app. */
  publisher: string;
  scopes: ScopeInWords[];
  /** When the person first allowed it (or the first live token, for apps that skip consent). */
  grantedAt: string;
  /** The latest token issued or refresh token used. */
  lastUsedAt: string | null;
}

interface Usage {
  scopes: Set<string>;
  grantedAt: Date;
  lastUsedAt: Date | null;
}

const later = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/** The person's Okta subject, or null when the account was never signed in through Okta. */
async function subjectOf(ctx: PortalContext, actor: Actor): Promise<string | null> {
  if (actor.type !== "developer") throw forbidden();
  const developer = await ctx.db.developer.findUnique({ where: { id: actor.developerId }, select: { oktaUserId: true } });
  return developer?.oktaUserId ?? null;
}

export async function listMyAuthorizations(ctx: PortalContext, actor: Actor): Promise<{ items: AuthorizedApp[] }> {
  const userSub = await subjectOf(ctx, actor);
  if (!userSub) return { items: [] };
  const now = ctx.now?.() ?? new Date();
  const live = { userSub, revokedAt: null, expiresAt: { gt: now } };
  // grouped by app and scope, so a busy app's thousands of tokens read as a few rows
  const [consents, access, refresh, external] = await Promise.all([
    ctx.db.consentGrant.findMany({ where: { userSub }, select: { appId: true, scope: true, createdAt: true, updatedAt: true } }),
    ctx.db.accessToken.groupBy({ by: ["appId", "scope"], where: live, _min: { createdAt: true }, _max: { createdAt: true } }),
    ctx.db.refreshToken.groupBy({ by: ["appId", "scope"], where: { ...live, idleExpiresAt: { gt: now } }, _min: { createdAt: true }, _max: { createdAt: true, usedAt: true } }),
    ctx.db.externalToken.groupBy({ by: ["appId", "scope"], where: live, _min: { createdAt: true }, _max: { createdAt: true } }),
  ]);
  const usage = new Map<string, Usage>();
  const note = (appId: string, scope: string, grantedAt: Date, lastUsedAt: Date | null) => {
    const entry = usage.get(appId) ?? { scopes: new Set<string>(), grantedAt, lastUsedAt: null };
    for (const s of scope.split(" ").filter(Boolean)) entry.scopes.add(s);
    entry.grantedAt = earlier(entry.grantedAt, grantedAt);
    entry.lastUsedAt = later(entry.lastUsedAt, lastUsedAt);
    usage.set(appId, entry);
  };
  for (const c of consents) note(c.appId, c.scope, c.createdAt, null);
  for (const t of [...access, ...external]) note(t.appId, t.scope, t._min.createdAt!, t._max.createdAt);
  for (const t of refresh) note(t.appId, t.scope, t._min.createdAt!, later(t._max.createdAt, t._max.usedAt));
  if (!usage.size) return { items: [] };

  const appIds = [...usage.keys()];
  const [apps, descriptions] = await Promise.all([
    ctx.db.app.findMany({ where: { id: { in: appIds } }, select: { id: true, name: true, owner: { select: { name: true } } } }),
    scopeDescriptionsOf(ctx.db, appIds),
  ]);
  const items = apps.map((app) => {
    const used = usage.get(app.id)!;
    return {
      appId: app.id,
      appName: app.name,
      publisher: app.owner.name,
      scopes: inWords([...used.scopes].sort(), descriptions.get(app.id)),
      grantedAt: used.grantedAt.toISOString(),
      lastUsedAt: used.lastUsedAt?.toISOString() ?? null,
    };
  });
  items.sort((a, b) => a.appName.localeCompare(b.appName) || a.appId.localeCompare(b.appId));
  return { items };
}

const AppId = z.string().min(1).max(100);

/** Ends one app's access for the signed-in person: their tokens of that app and their consent. */
export async function revokeMyAuthorization(ctx: PortalContext, actor: Actor, appId: unknown): Promise<{ revoked: number }> {
  const id = parseInput(AppId, appId);
  const userSub = await subjectOf(ctx, actor);
  if (!userSub) throw notFound("authorization");
  const { items } = await listMyAuthorizations(ctx, actor);
  const granted = items.find((item) => item.appId === id);
  if (!granted) throw notFound("authorization");
  const now = ctx.now?.() ?? new Date();
  const revoked = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const count = await revoke({ userGrant: { appId: id, userSub } });
    await recordAudit(tx, actor, { action: "authorization.revoked", targetType: "app", targetId: id, after: { revoked: count } });
    return count;
  });
  return { revoked };
}
