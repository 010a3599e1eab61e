// Credentials of an app: several may be active at once, so a secret is rotated by adding a
// new credential, moving the app to it, then revoking the old one — no downtime.
import type { Database } from "../db/index.ts";
import { generateClientId, generateSecret, hashSecret, secretHint } from "../security/secrets.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { notFound, PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { enforceFlowLimit } from "./rate-limits.ts";
import { withRevocations } from "../oauth/tokens/revocation.ts";
import { credentialView, type CredentialView } from "./views.ts";
import { findVisibleApp } from "./app-access.ts";

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

export async function issueCredential(tx: Tx, appId: string, appType: string, now: Date): Promise<IssuedCredential> {
  const clientSecret = appType === "confidential" ? generateSecret("clientSecret") : null;
  const credential = await tx.credential.create({
    data: {
      appId,
      clientId: generateClientId(),
      secretHash: clientSecret ? hashSecret(clientSecret) : null,
      secretHint: clientSecret ? secretHint(clientSecret) : null,
      expiresAt: await credentialExpiry(tx, appId, now),
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
  await findVisibleApp(ctx, actor, appId, "manage");
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
    return revoked;
  });
  return credentialView(credential);
}
