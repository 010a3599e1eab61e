// The notification events of admin decisions, written with the transaction that makes the
// decision (the outbox): subscriptions decided, apps suspended, reactivated or removed, an API
// version deprecated or given a sunset date. Payloads carry ids, names and portal paths — what
// an email, the in-portal list and a webhook body show — and never a secret.
import type { Database, Transaction } from "../db/index.ts";
import { readStringList } from "../db/json-columns.ts";
import { appAudience, recordEvent } from "../notifications/outbox.ts";

type Tx = Database | Transaction;
interface AppFacts {
  id: string;
  name: string;
  ownerId: string;
  teamId: string | null;
}
interface ProductFacts {
  id: string;
  name: string;
  slug: string;
}

const appLink = (appId: string) => `/apps/${appId}`;

/** An admin's (or, for auto-approval products, the product's own) decision on a subscription. */
export async function subscriptionDecided(
  tx: Tx,
  status: "approved" | "rejected" | "revoked",
  sub: { id: string; reason: string | null },
  app: AppFacts,
  product: ProductFacts,
  automatic = false,
): Promise<void> {
  await recordEvent(tx, {
    type: `subscription.${status}`,
    payload: {
      subscriptionId: sub.id,
      appId: app.id,
      appName: app.name,
      productId: product.id,
      productName: product.name,
      productSlug: product.slug,
      status,
      reason: sub.reason,
      automatic,
      link: appLink(app.id),
    },
    ...appAudience(app),
  });
}

/** An app's standing changed by an admin. */
export async function appStatusChanged(tx: Tx, type: "app.suspended" | "app.reactivated" | "app.revoked", app: AppFacts, reason: string | null = null): Promise<void> {
  await recordEvent(tx, {
    type,
    payload: { appId: app.id, appName: app.name, reason, link: type === "app.revoked" ? "/apps" : appLink(app.id) },
    ...appAudience(app),
  });
}

interface ProxyLifecycle {
  id: string;
  name: string;
  basePath: string;
  version: string;
  deprecatedAt: Date | null;
  sunsetAt: Date | null;
  deprecationLink: string | null;
  pinnedAppIds: string;
}

const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Which lifecycle events a save announces: a deprecation or sunset date set or moved (clearing
 * one tells nobody). */
export function lifecycleChanges(before: Pick<ProxyLifecycle, "deprecatedAt" | "sunsetAt"> | null, after: Pick<ProxyLifecycle, "deprecatedAt" | "sunsetAt">) {
  const types: Array<"api.deprecated" | "api.sunset"> = [];
  if (after.deprecatedAt && !sameInstant(before?.deprecatedAt ?? null, after.deprecatedAt)) types.push("api.deprecated");
  if (after.sunsetAt && !sameInstant(before?.sunsetAt ?? null, after.sunsetAt)) types.push("api.sunset");
  return types;
}

/** Tells every app that calls this proxy version — pinned to it, or approved for a product
 * that contains it — that it was deprecated or given a sunset date. Call after the proxy and
 * its product links are saved, in the same transaction. */
export async function proxyLifecycleChanged(tx: Tx, before: ProxyLifecycle | null, after: ProxyLifecycle): Promise<number> {
  const types = lifecycleChanges(before, after);
  if (!types.length) return 0;
  const subscribed = await tx.subscription.findMany({
    where: { status: "approved", product: { proxies: { some: { proxyId: after.id } } } },
    select: { appId: true },
  });
  const ids = [...new Set([...readStringList(after.pinnedAppIds), ...subscribed.map((s) => s.appId)])];
  if (!ids.length) return 0;
  const apps = await tx.app.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, ownerId: true, teamId: true }, orderBy: { id: "asc" } });
  for (const app of apps) {
    for (const type of types) {
      await recordEvent(tx, {
        type,
        payload: {
          appId: app.id,
          appName: app.name,
          proxyId: after.id,
          proxyName: after.name,
          basePath: after.basePath,
          version: after.version,
          deprecatedAt: after.deprecatedAt?.toISOString() ?? null,
          sunsetAt: after.sunsetAt?.toISOString() ?? null,
          deprecationLink: after.deprecationLink,
          link: appLink(app.id),
        },
        ...appAudience(app),
      });
    }
  }
  return apps.length * types.length;
}
