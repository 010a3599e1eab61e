// Credentials of an app: several may be active at once, so a secret is rotated by adding a
// new credential, moving the app to it, then revoking the old one — no downtime. Renewing does
// the same in one step: a new credential, and the old one kept for a grace period the developer
// chooses (at most the admin's maximum), after which the sweep revokes it (credential-sweep.ts).
import type { Database } from "../db/index.ts";
import { generateClientId, generateSecret, hashSecret, secretHint } from "../security/secrets.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { notFound, PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { enforceFlowLimit } from "./rate-limits.ts";
import { withRevocations } from "../oauth/tokens/revocation.ts";
import { credentialView, type CredentialView } from "./views.ts";
import { findVisibleApp } from "./app-access.ts";
import { parseInput } from "./validation.ts";
import { getCredentialSettings } from "./credential-settings.ts";
import { announceAppChange } from "../events/app-changes.ts";
import { appAudience, recordEvent } from "../notifications/outbox.ts";
import { canonicalCidrs, canonicalReferrerPatterns, RestrictionError } from "../security/credential-restrictions.ts";
import { z } from "zod";

/** A new credential as shown exactly once: the secret is never retrievable again. */
export interface IssuedCredential extends CredentialView {
  clientSecret: string | null;
}

type Tx = Pick<Database, "credential" | "subscription">;

/** The shortest credential lifetime among the app's live subscriptions, if any sets one. */
async function credentialExpiry(tx: Tx, appId: string, now: Date): Promise<Date | null> {
  const subs = await tx.subscription.findMany({ where: { appId, status: { in: ["approved", "pending"] } }, include: { product: true } });
  const ttls = subs.map((s) => s.product.credentialTtlSeconds).filter((t): t is number => t !== null);
  return ttls.length ? new Date(now.getTime() + Math.min(...ttls) * 1000) : null;
}

export async function issueCredential(
  tx: Tx,
  appId: string,
  appType: string,
  now: Date,
  restrictions: { allowedReferrers: string; allowedCidrs: string } = { allowedReferrers: "[]", allowedCidrs: "[]" },
): Promise<IssuedCredential> {
  const clientSecret = appType === "confidential" ? generateSecret("clientSecret") : null;
  const credential = await tx.credential.create({
    data: {
      appId,
      clientId: generateClientId(),
      secretHash: clientSecret ? hashSecret(clientSecret) : null,
      secretHint: clientSecret ? secretHint(clientSecret) : null,
      expiresAt: await credentialExpiry(tx, appId, now),
      ...restrictions,
    },
  });
  return { ...credentialView(credential), clientSecret };
}

export async function addCredential(ctx: PortalContext, actor: Actor, appId: string): Promise<IssuedCredential> {
  const app = await findVisibleApp(ctx, actor, appId, "manage");
  if (app.status !== "active") throw new PortalError("conflict", `The app is ${app.status}.`);
  if (actor.type === "developer" && !isAdmin(actor)) await enforceFlowLimit(ctx, "addCredential", actor.developerId);
  const now = ctx.now?.() ?? new Date();
  return ctx.db.$transaction(async (tx) => {
    const issued = await issueCredential(tx, appId, app.type, now);
    await recordAudit(tx, actor, { action: "credential.created", targetType: "credential", targetId: issued.id, after: { appId, clientId: issued.clientId } });
    return issued;
  });
}

export async function revokeCredential(ctx: PortalContext, actor: Actor, appId: string, credentialId: string): Promise<CredentialView> {
  const app = await findVisibleApp(ctx, actor, appId, "manage");
  const now = ctx.now?.() ?? new Date();
  const credential = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const before = await tx.credential.findFirst({ where: { id: credentialId, appId } });
    if (!before) throw notFound("credential");
    if (before.status === "revoked") return before;
    const revoked = await tx.credential.update({ where: { id: credentialId }, data: { status: "revoked", revokedAt: now } });
    await revoke({ credentialId });
    await recordAudit(tx, actor, {
      action: "credential.revoked",
      targetType: "credential",
      targetId: credentialId,
      before: { status: before.status },
      after: { status: "revoked", appId },
    });
    // the owner is told when someone else (an admin) cut their app off
    if (isAdmin(actor)) await recordEvent(tx, { type: "credential.revoked", payload: { appId, appName: app.name, credentialId, clientId: before.clientId }, ...appAudience(app) });
    return revoked;
  });
  return credentialView(credential);
}

const DAY_MS = 86_400_000;

export const RenewInput = z.object({ graceDays: z.coerce.number().int().min(0) }).strict();

/** A renewal: the new credential (its secret shown this once) and the one it replaces. */
export interface RenewedCredential {
  credential: IssuedCredential;
  replaced: CredentialView;
}

/**
 * Renews a credential: a new one of the same kind with the same restrictions, while the old one
 * keeps working for `graceDays` (0: revoked at once with its tokens) and is then revoked by the
 * sweep. A credential is renewed once; a second renewal of it is a conflict, even when two
 * requests race (the old row is claimed with a conditional update in the same transaction).
 */
export async function renewCredential(ctx: PortalContext, actor: Actor, appId: string, credentialId: string, input: unknown): Promise<RenewedCredential> {
  const app = await findVisibleApp(ctx, actor, appId, "manage");
  if (app.status !== "active") throw new PortalError("conflict", `The app is ${app.status}.`);
  const { graceDays } = parseInput(RenewInput, input);
  const { maxRenewalGraceDays } = await getCredentialSettings(ctx);
  if (graceDays > maxRenewalGraceDays)
    throw new PortalError("invalid", `The grace period may be at most ${maxRenewalGraceDays} days.`, { fields: { graceDays: `at most ${maxRenewalGraceDays} days` } });
  if (actor.type === "developer" && !isAdmin(actor)) await enforceFlowLimit(ctx, "addCredential", actor.developerId);
  const now = ctx.now?.() ?? new Date();
  const graceEndsAt = new Date(now.getTime() + graceDays * DAY_MS);
  const result = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const old = await tx.credential.findFirst({ where: { id: credentialId, appId } });
    if (!old) throw notFound("credential");
    if (old.status !== "active" || old.replacedById) throw new PortalError("conflict", old.replacedById ? "This credential was already renewed." : "This credential is revoked.");
    const issued = await issueCredential(tx, appId, app.type, now, { allowedReferrers: old.allowedReferrers, allowedCidrs: old.allowedCidrs });
    const immediate = graceDays === 0;
    const claimed = await tx.credential.updateMany({
      where: { id: credentialId, status: "active", replacedById: null },
      data: { replacedById: issued.id, graceEndsAt, ...(immediate ? { status: "revoked", revokedAt: now } : {}) },
    });
    if (claimed.count !== 1) throw new PortalError("conflict", "This credential was already renewed.");
    if (immediate) await revoke({ credentialId });
    await recordAudit(tx, actor, {
      action: "credential.renewed",
      targetType: "credential",
      targetId: credentialId,
      before: { status: old.status },
      after: { appId, replacedById: issued.id, clientId: issued.clientId, graceEndsAt: graceEndsAt.toISOString() },
    });
    const replaced = await tx.credential.findUniqueOrThrow({ where: { id: credentialId } });
    return { credential: issued, replaced: credentialView(replaced) };
  });
  // caches that know the old credential learn when it ends (a revocation announces itself)
  if (graceDays > 0) await announceAppChange(ctx.store, { appId });
  return result;
}

export const RestrictionsInput = z
  .object({
    allowedReferrers: z.array(z.string()).max(100).optional(),
    allowedCidrs: z.array(z.string()).max(100).optional(),
  })
  .strict();

/** Sets the pages (referrer patterns) and source ranges (CIDR) a credential may be used from;
 * an empty list lifts that restriction. Applies at once on every instance. */
export async function updateCredentialRestrictions(ctx: PortalContext, actor: Actor, appId: string, credentialId: string, input: unknown): Promise<CredentialView> {
  await findVisibleApp(ctx, actor, appId, "manage");
  const parsed = parseInput(RestrictionsInput, input);
  const data: { allowedReferrers?: string; allowedCidrs?: string } = {};
  try {
    if (parsed.allowedReferrers) data.allowedReferrers = JSON.stringify(canonicalReferrerPatterns(parsed.allowedReferrers));
  } catch (error) {
    if (error instanceof RestrictionError) throw new PortalError("invalid", error.message, { fields: { allowedReferrers: error.message } });
    throw error;
  }
  try {
    if (parsed.allowedCidrs) data.allowedCidrs = JSON.stringify(canonicalCidrs(parsed.allowedCidrs));
  } catch (error) {
    if (error instanceof RestrictionError) throw new PortalError("invalid", error.message, { fields: { allowedCidrs: error.message } });
    throw error;
  }
  const updated = await ctx.db.$transaction(async (tx) => {
    const before = await tx.credential.findFirst({ where: { id: credentialId, appId } });
    if (!before) throw notFound("credential");
    if (before.status !== "active") throw new PortalError("conflict", "This credential is revoked.");
    const after = await tx.credential.update({ where: { id: credentialId }, data });
    await recordAudit(tx, actor, {
      action: "credential.restricted",
      targetType: "credential",
      targetId: credentialId,
      before: { allowedReferrers: JSON.parse(before.allowedReferrers), allowedCidrs: JSON.parse(before.allowedCidrs) },
      after: { appId, allowedReferrers: JSON.parse(after.allowedReferrers), allowedCidrs: JSON.parse(after.allowedCidrs) },
    });
    return after;
  });
  await announceAppChange(ctx.store, { appId }); // client caches and the gateway reload the credential
  return credentialView(updated);
}
