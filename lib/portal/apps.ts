// Developers' apps (OAuth clients). Owners see and change only their own apps — anyone
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
  })
  .strict();

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
  await enforceFlowLimit(ctx, "createApp", actor.developerId);
  const now = ctx.now?.() ?? new Date();
  return ctx.db.$transaction(async (tx) => {
    const app = await tx.app.create({
      data: {
        ownerId: actor.developerId,
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

/** Developers: their own apps. Admins: all apps (optionally one owner's), with owners. */
export async function listApps(ctx: PortalContext, actor: Actor, query: unknown) {
  const q = parseInput(AppQuery, query);
  const admin = isAdmin(actor);
  if (!admin && actor.type !== "developer") throw forbidden();
  const ownerId = admin ? q.ownerId : (actor as { developerId: string }).developerId;
  const rows = await ctx.db.app.findMany({
    where: { ownerId, ...(q.q ? { name: { contains: q.q } } : {}) },
    include: { ...appInclude, owner: admin },
    ...pageArgs(q),
  });
  return toPage(rows, q, appView);
}

export async function getApp(ctx: PortalContext, actor: Actor, id: string): Promise<AppView> {
  return appView(await findVisibleApp(ctx, actor, id));
}

export async function updateApp(ctx: PortalContext, actor: Actor, id: string, input: unknown): Promise<AppView> {
  const before = await findVisibleApp(ctx, actor, id);
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
  const before = await findVisibleApp(ctx, actor, id);
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

/** Deleting an app revokes everything it holds first; the rows go with the app. An admin
 * removing someone else's app tells its developer or team (app.revoked). */
export async function deleteApp(ctx: PortalContext, actor: Actor, id: string): Promise<void> {
  const before = await findVisibleApp(ctx, actor, id);
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
  await findVisibleApp(ctx, actor, id);
  const now = ctx.now?.() ?? new Date();
  const revoked = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const count = await revoke({ appId: id });
    await recordAudit(tx, actor, { action: "app.tokens_revoked", targetType: "app", targetId: id, after: { revoked: count } });
    return count;
  });
  return { revoked };
}
