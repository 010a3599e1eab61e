// App × product subscriptions: requested with the app, approved at once for auto-approval
// products, queued for an admin otherwise. Rejecting or revoking cuts the app's tokens, and
// the decision stands: asking again after it only queues the request for an admin, with the
// earlier decision and its reason kept beside it. Every decision, an automatic approval
// included, is told to the app's developer or team (notification-events.ts).
import { z } from "zod";
import type { Database, Transaction } from "../db/index.ts";
import { isAdmin, type Actor, type PortalContext } from "./context.ts";
import { forbidden, notFound, PortalError } from "./errors.ts";
import { recordAudit } from "./audit.ts";
import { PageQuery, pageArgs, adminPage } from "./pagination.ts";
import { withRevocations } from "../oauth/tokens/revocation.ts";
import { announceAppChange } from "../events/app-changes.ts";
import { parseInput } from "./validation.ts";
import { appView, subscriptionView } from "./views.ts";
import { subscriptionDecided } from "./notification-events.ts";

type Tx = Database | Transaction;

/**
 * Subscribes the app to the named products (ids or slugs) it does not have yet. A product whose
 * subscription an admin rejected or revoked goes back to the queue as pending, even for
 * auto-approval products, remembering that decision.
 */
export async function requestSubscriptions(tx: Tx, actor: Actor, appId: string, products: string[], now: Date): Promise<void> {
  if (!products.length) return;
  const found = await tx.apiProduct.findMany({ where: { OR: [{ id: { in: products } }, { slug: { in: products } }] } });
  const visible = found.filter((p) => p.visibility === "public" || isAdmin(actor));
  const missing = products.filter((ref) => !visible.some((p) => p.id === ref || p.slug === ref));
  if (missing.length) throw new PortalError("invalid", `Unknown product: ${missing.join(", ")}`, { fields: { products: "unknown product" } });
  for (const product of visible) {
    const existing = await tx.subscription.findUnique({ where: { appId_productId: { appId, productId: product.id } } });
    if (existing && existing.status !== "revoked" && existing.status !== "rejected") continue;
    const sub = existing
      ? await tx.subscription.update({
          where: { id: existing.id },
          data: { status: "pending", reason: null, decidedAt: null, decidedById: null, priorStatus: existing.status, priorReason: existing.reason },
        })
      : await tx.subscription.create({
          data: { appId, productId: product.id, ...(product.approvalType === "auto" ? { status: "approved", reason: "auto-approved", decidedAt: now } : { status: "pending" }) },
        });
    await recordAudit(tx, actor, {
      action: "subscription.requested",
      targetType: "subscription",
      targetId: sub.id,
      ...(existing ? { before: { status: existing.status, reason: existing.reason } } : {}),
      after: { appId, product: product.slug, status: sub.status },
    });
    if (sub.status === "approved") {
      const app = await tx.app.findUniqueOrThrow({ where: { id: appId }, select: { id: true, name: true, ownerId: true, teamId: true } });
      await subscriptionDecided(tx, "approved", sub, app, product, true);
    }
  }
}

const QueueQuery = PageQuery.extend({ status: z.enum(["pending", "approved", "rejected", "revoked"]).default("pending") });

export function listSubscriptions(ctx: PortalContext, actor: Actor, query: unknown) {
  return adminPage(
    actor,
    query,
    QueueQuery,
    (q) =>
      ctx.db.subscription.findMany({
        where: { status: q.status },
        include: { product: true, app: { include: { owner: true } } },
        ...pageArgs(q),
      }),
    (s) => ({ ...subscriptionView(s), app: appView(s.app) }),
  );
}

const Decision = z.object({ decision: z.enum(["approve", "reject", "revoke"]), reason: z.string().trim().max(500).optional() }).strict();
const NEXT_STATUS = { approve: "approved", reject: "rejected", revoke: "revoked" } as const;
const ALLOWED_FROM = { approve: ["pending", "rejected", "revoked"], reject: ["pending"], revoke: ["approved", "pending"] } as const;

export async function decideSubscription(ctx: PortalContext, actor: Actor, id: string, input: unknown) {
  if (!isAdmin(actor)) throw forbidden();
  const { decision, reason } = parseInput(Decision, input);
  if (decision !== "approve" && !reason) throw new PortalError("invalid", "A reason is required to reject or revoke.", { fields: { reason: "required" } });
  const now = ctx.now?.() ?? new Date();
  const result = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    const before = await tx.subscription.findUnique({ where: { id }, include: { product: true, app: { select: { id: true, name: true, ownerId: true, teamId: true } } } });
    if (!before) throw notFound("subscription");
    if (!(ALLOWED_FROM[decision] as readonly string[]).includes(before.status)) {
      throw new PortalError("conflict", `Cannot ${decision} a subscription that is ${before.status}.`);
    }
    const updated = await tx.subscription.update({
      where: { id },
      // the new decision replaces the earlier one (the audit log keeps both)
      data: {
        status: NEXT_STATUS[decision],
        reason: reason ?? null,
        decidedAt: now,
        decidedById: actor.type === "developer" ? actor.developerId : null,
        priorStatus: null,
        priorReason: null,
      },
      include: { product: true },
    });
    if (decision !== "approve") await revoke({ appId: before.appId });
    await recordAudit(tx, actor, {
      action: `subscription.${NEXT_STATUS[decision]}`,
      targetType: "subscription",
      targetId: id,
      before: { status: before.status },
      after: { status: updated.status, reason },
    });
    await subscriptionDecided(tx, NEXT_STATUS[decision], updated, before.app, updated.product);
    return updated;
  });
  await announceAppChange(ctx.store, { appId: result.appId });
  return subscriptionView(result);
}
