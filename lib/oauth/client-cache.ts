// Client lookups for the token, introspection and revocation endpoints, cached in-process:
// authenticating a client is then a hash comparison, not four queries. Entries live 30 s and
// are dropped at once when a revocation or an app change is announced (on any instance), so
// a revoked credential stops working and a new approval or setting applies immediately.
import type { Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import { revocationCovers, type RevocationScope } from "./tokens/revocation.ts";
import { findClient, type OAuthClient } from "./clients.ts";
import { subscribe } from "../events/bus.ts";
import { topics, type AppChange } from "../events/topics.ts";
import { TtlCache } from "../runtime/ttl-cache.ts";
import type { MaybePromise } from "../runtime/maybe-async.ts";
import { Subscriptions } from "../runtime/subscriptions.ts";

export class ClientCache {
  private readonly entries: TtlCache<OAuthClient | null>;
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly db: Database,
    private readonly store: Store,
    private readonly ttlMs = 30_000,
    maxEntries = 50_000,
  ) {
    this.entries = new TtlCache(maxEntries);
  }

  async start(): Promise<void> {
    const onMissed = () => this.entries.clear();
    await this.subscriptions.hold(
      subscribe(this.store, topics.revocations, (scope) => this.forget(scope), { onMissed }),
      subscribe(this.store, topics.appChanges, (change) => this.onAppChange(change), { onMissed }),
    );
  }

  async stop(): Promise<void> {
    await this.subscriptions.release();
    this.entries.clear();
  }

  /** Synchronous on a hit: the gateway's verify-api-key asks on every call, and an `await` of a
   * value that was ready anyway costs microtask turns at gateway rates. */
  find(clientId: string, now = Date.now()): MaybePromise<OAuthClient | null> {
    const hit = this.entries.fresh(clientId, now);
    if (hit) return hit.value;
    return findClient(this.db, clientId, new Date(now)).then((client) => {
      this.entries.set(clientId, client, now + this.ttlMs);
      return client;
    });
  }

  private onAppChange(change: AppChange): void {
    this.entries.deleteWhere((c) => !!c && ("appId" in change ? c.appId === change.appId : c.productIds.includes(change.productId)));
  }

  private forget(scope: RevocationScope): void {
    if (!("appId" in scope || "appIds" in scope || "credentialId" in scope)) return; // tokens, not clients
    this.entries.deleteWhere((client) => !!client && revocationCovers(scope, client));
  }
}
