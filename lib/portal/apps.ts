// Developers' apps (OAuth clients). An app belongs to a developer or to a team: owners see and
// change their own apps, team members their team's apps by role (app-access.ts) — anyone
// else's look like they do not exist — and admins see all. Creating an app issues its first
// credential; the secret is returned once and only its hash is kept.
import { z } from "zod";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, PortalError } from "./errors.ts";
import { appInclude, findVisibleApp } from "./app-access.ts";
import { recordAudit } from "./audit.ts";
import { readStringList, writeJson } from "../db/json-columns.ts";
import { PageQuery, pageArgs, toPage } from "./pagination.ts";
import { enforceFlowLimit } from "./rate-limits.ts";
import { RedirectUri } from "./redirect-uris.ts";
import { withRevocations } from "../oauth/tokens/revocation.ts";
import { TOKEN_EXCHANGE_GRANT } from "../oauth/grant-types.ts";
import { announceAppChange } from "../events/app-changes.ts";
import { requestSubscriptions } from "./subscriptions.ts";
import { issueCredential, type IssuedCredential } from "./credentials.ts";
import { parseInput } from "./validation.ts";
import { appView, type AppView } from "./views.ts";
import { appStatusChanged } from "./notification-events.ts";
import { reachableAppsWhere, teamForbidden, visibleTeam } from "./team-membership.ts";
import { roleAllows } from "./team-roles.ts";

const AppFields = {
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(1000),
  redirectUris: z.array(RedirectUri).max(10),
  products: z.array(z.string().max(100)).max(20),
};

export const CreateAppInput = z
  .object({
    ...AppFields,
    description: AppFields.description.default(""),
    redirectUris: AppFields.redirectUris.default([]),
    products: AppFields.products.default([]),
    type: z.enum(["confidential", "public"]).default("confidential"),
    /** The team that will own the app (the creator must be one of its owners or admins); none: the creator's own app. */
    teamId: z.string().trim().min(1).max(100).nullable().optional(),
  })
  .strict();

export const MoveAppInput = z.object({ teamId: z.string().trim().min(1).max(100).nullable() }).strict();

export const UpdateAppInput = z.object(AppFields).partial().strict();

/** Settings only admins may change (RFC 9700 discourages password and implicit grants). */
export const AdminAppSettings = z
  .object({
    passwordGrantMode: z.enum(["okta_authn", "okta_token"]).nullable(),
    implicitEnabled: z.boolean(),
    skipConsent: z.boolean(),
    status: z.enum(["active", "suspended"]),
    /** RFC 9126 §6: authorization requests only by reference to a pushed one. */
    requirePushedAuthorizationRequests: z.boolean(),
    /** RFC 9449 §5.2: every token request must carry a DPoP proof, so every token is sender-constrained. */
    dpopBoundAccessTokens: z.boolean(),
    /** RFC 8693: the issuers whose tokens this app may exchange for Gatehouse tokens. */
    tokenExchangeIssuers: z.array(z.url({ protocol: /^https?$/ }).max(500)).max(10),
  })
  .partial()
  .strict();

export async function createApp(ctx: PortalContext, actor: Actor, input: unknown): Promise<{ app: AppView; credential: IssuedCredential }> {
  if (actor.type !== "developer") throw forbidden();
  const data = parseInput(CreateAppInput, input);
  if (data.type === "public" && data.redirectUris.length === 0) {
    throw new PortalError("invalid", "Public apps need at least one redirect URI.", { fields: { redirectUris: "Public apps need at least one redirect URI." } });
  }
  const teamId = data.teamId ? await teamManagedBy(ctx, actor, data.teamId) : null;
  // the creation limit counts against the developer who creates, whoever will own the app
  await enforceFlowLimit(ctx, "createApp", actor.developerId);
  const now = ctx.now?.() ?? new Date();
  return ctx.db.$transaction(async (tx) => {
    const app = await tx.app.create({
      data: {
        ownerId: actor.developerId,
        teamId,
        name: data.name,
        description: data.description,
        type: data.type,
        redirectUris: writeJson(data.redirectUris),
        grantTypes: writeJson(data.type === "public" ? ["authorization_code", "refresh_token"] : ["authorization_code", "refresh_token", "client_credentials"]),
      },
    });
    await requestSubscriptions(tx, actor, app.id, data.products, now);
    const credential = await issueCredential(tx, app.id, data.type, now);
    const full = await tx.app.findUniqueOrThrow({ where: { id: app.id }, include: appInclude });
    await recordAudit(tx, actor, { action: "app.created", targetType: "app", targetId: app.id, after: appView(full) });
    return { app: appView(full), credential };
  });
}

const AppQuery = PageQuery.extend({ q: z.string().trim().max(100).optional(), ownerId: z.string().max(100).optional() });

/** A team the actor may put apps in (its owners and admins); anyone else's team is not found. */
async function teamManagedBy(ctx: PortalContext, actor: Actor, teamId: string): Promise<string> {
  const team = await visibleTeam(ctx.db, actor, teamId);
  if (!roleAllows(team.role, "manage")) throw teamForbidden("adding apps");
  return team.id;
}

/**
 * Developers: their own apps and their teams' apps. Admins: all apps (optionally one owner's),
 * with owners — and, filtering by themselves, the apps they reach as a developer would.
 */
export async function listApps(ctx: PortalContext, actor: Actor, query: unknown) {
  const q = parseInput(AppQuery, query);
  const admin = isAdmin(actor);
  if (!admin && actor.type !== "developer") throw forbidden();
  const self = actor.type === "developer" ? actor.developerId : null;
  const scope = self && (!admin || q.ownerId === self) ? reachableAppsWhere(self) : { ownerId: q.ownerId };
  const rows = await ctx.db.app.findMany({
    where: { ...scope, ...(q.q ? { name: { contains: q.q } } : {}) },
    include: { ...appInclude, owner: admin },
    ...pageArgs(q),
  });
  return toPage(rows, q, appView);
}

export async function getApp(ctx: PortalContext, actor: Actor, id: string): Promise<AppView> {
  return appView(await findVisibleApp(ctx, actor, id, "read"));
}

export async function updateApp(ctx: PortalContext, actor: Actor, id: string, input: unknown): Promise<AppView> {
  const before = await findVisibleApp(ctx, actor, id, "manage");
  const data = parseInput(UpdateAppInput, input);
  if (before.type === "public" && data.redirectUris?.length === 0) {
    throw new PortalError("invalid", "Public apps need at least one redirect URI.", { fields: { redirectUris: "Public apps need at least one redirect URI." } });
  }
  const now = ctx.now?.() ?? new Date();
  return ctx.db
    .$transaction(async (tx) => {
      await tx.app.update({
        where: { id },
        data: { name: data.name, description: data.description, redirectUris: data.redirectUris ? writeJson(data.redirectUris) : undefined },
      });
      if (data.products) await requestSubscriptions(tx, actor, id, data.products, now);
      const after = await tx.app.findUniqueOrThrow({ where: { id }, include: appInclude });
      await recordAudit(tx, actor, { action: "app.updated", targetType: "app", targetId: id, before: appView(before), after: appView(after) });
      return appView(after);
    })
    .then(async (view) => {
      if (data.products) await announceAppChange(ctx.store, { appId: id });
      return view;
    });
}

export async function updateAppSettings(ctx: PortalContext, actor: Actor, id: string, input: unknown): Promise<AppView> {
  if (!isAdmin(actor)) throw forbidden();
  const before = await findVisibleApp(ctx, actor, id, "manage");
  const data = parseInput(AdminAppSettings, input);
  const now = ctx.now?.() ?? new Date();
  const grantTypes = new Set(readStringList(before.grantTypes));
  if (data.passwordGrantMode !== undefined) {
    if (data.passwordGrantMode) grantTypes.add("password");
    else grantTypes.delete("password");
  }
  // RFC 8693: the grant type follows the admin's choice of issuers; none means no exchange at all.
  if (data.tokenExchangeIssuers !== undefined) {
    if (data.tokenExchangeIssuers.length) grantTypes.add(TOKEN_EXCHANGE_GRANT);
    else grantTypes.delete(TOKEN_EXCHANGE_GRANT);
  }
  const after = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const { tokenExchangeIssuers, ...columns } = data;
    await tx.app.update({
      where: { id },
      data: { ...columns, grantTypes: writeJson([...grantTypes]), ...(tokenExchangeIssuers ? { tokenExchangeIssuers: writeJson([...new Set(tokenExchangeIssuers)]) } : {}) },
    });
    if (data.status === "suspended") await revoke({ appId: id });
    const after = await tx.app.findUniqueOrThrow({ where: { id }, include: appInclude });
    if (data.status && data.status !== before.status) await appStatusChanged(tx, data.status === "suspended" ? "app.suspended" : "app.reactivated", after);
    await recordAudit(tx, actor, { action: "app.settings_changed", targetType: "app", targetId: id, before: appView(before), after: appView(after) });
    return after;
  });
  await announceAppChange(ctx.store, { appId: id });
  return appView(after);
}

/**
 * Moves an app between the actor and a team (or between teams), keeping its credentials, tokens
 * and subscriptions: it needs "manage" on the app and owner or admin in the target team. Back
 * to no team, the app becomes the actor's own.
 */
export async function moveApp(ctx: PortalContext, actor: Actor, id: string, input: unknown): Promise<AppView> {
  if (actor.type !== "developer") throw forbidden();
  const before = await findVisibleApp(ctx, actor, id, "manage");
  const { teamId } = parseInput(MoveAppInput, input);
  const target = teamId ? await teamManagedBy(ctx, actor, teamId) : null;
  const after = await ctx.db.$transaction(async (tx) => {
    await tx.app.update({ where: { id }, data: target ? { teamId: target } : { teamId: null, ownerId: actor.developerId } });
    const after = await tx.app.findUniqueOrThrow({ where: { id }, include: appInclude });
    await recordAudit(tx, actor, {
      action: "app.moved",
      targetType: "app",
      targetId: id,
      before: { ownerId: before.ownerId, teamId: before.teamId },
      after: { ownerId: after.ownerId, teamId: after.teamId },
    });
    return after;
  });
  await announceAppChange(ctx.store, { appId: id });
  return appView(after);
}

/** Deleting an app revokes everything it holds first; the rows go with the app. An admin
 * removing someone else's app tells its developer or team (app.revoked). */
export async function deleteApp(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  await removeApp(ctx, actor, await findVisibleApp(ctx, actor, id, "manage"));
}

/** Deletes an app whose caller is already authorised (RFC 7592: the registration access token is the authorisation). */
export async function removeApp(ctx: PortalContext, actor: Actor, before: Awaited<ReturnType<typeof findVisibleApp>>): Promise<void> {
  const id = before.id;
  const now = ctx.now?.() ?? new Date();
  await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    await revoke({ appId: id });
    await tx.app.delete({ where: { id } });
    await recordAudit(tx, actor, { action: "app.deleted", targetType: "app", targetId: id, before: appView(before) });
    const ownApp = actor.type === "developer" && actor.developerId === before.ownerId && !before.teamId;
    if (isAdmin(actor) && !ownApp) await appStatusChanged(tx, "app.revoked", before);
  });
}

/** Revokes every token of an app (admin, or the owner). */
export async function revokeAppTokens(ctx: PortalContext, actor: Actor, id: string): Promise<{ revoked: number }> {
  await findVisibleApp(ctx, actor, id, "manage");
  const now = ctx.now?.() ?? new Date();
  const revoked = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const count = await revoke({ appId: id });
    await recordAudit(tx, actor, { action: "app.tokens_revoked", targetType: "app", targetId: id, after: { revoked: count } });
    return count;
  });
  return { revoked };
}
