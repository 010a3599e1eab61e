// What the gateway must know about an app on every call — is it (and its owner) in good
// standing, which products is it approved for — cached per process for 30 s and forgotten at
// once when a revocation or an app change is announced on any instance.
import type { MaybePromise } from "../runtime/maybe-async.ts";
import type { Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import { REVOCATION_CHANNEL } from "../oauth/tokens/revocation.ts";
import { APP_CHANGE_CHANNEL } from "../events/app-changes.ts";

export interface AppStanding {
  appId: string;
  developerId: string;
  /** App active and owner not suspended. */
  active: boolean;
  approvedProductIds: readonly string[];
  /** Union of the approved products' scopes (what an API key or an Okta app may do). */
  approvedScopes: ReadonlySet<string>;
}

export class AppDirectory {
  private readonly byAppId = new Map<string, { app: AppStanding | null; until: number }>();
  private readonly byOktaClient = new Map<string, { appId: string | null; until: number }>();
  private unsubscribers: Array<() => Promise<void>> = [];

  constructor(
    private readonly db: Database,
    private readonly store: Store,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 50_000,
  ) {}

  async start(): Promise<void> {
    const forget = () => this.clear();
    this.unsubscribers = await Promise.all([this.store.subscribe(REVOCATION_CHANNEL, forget), this.store.subscribe(APP_CHANGE_CHANNEL, forget)]);
  }

  async stop(): Promise<void> {
    await Promise.all(this.unsubscribers.map((off) => off()));
    this.clear();
  }

  /** Any change may touch any app; changes are rare, so the cache simply starts over. (An
   * expired entry is kept until then: it answers while the database is away.) */
  clear(): void {
    this.byAppId.clear();
    this.byOktaClient.clear();
  }

  /** Synchronous when cached (every call but the first per app and 30 s). */
  find(appId: string, now = Date.now()): MaybePromise<AppStanding | null> {
    const hit = this.byAppId.get(appId);
    return hit && hit.until > now ? hit.app : this.load(appId, hit, now);
  }

  private async load(appId: string, hit: { app: AppStanding | null } | undefined, now: number): Promise<AppStanding | null> {
    let row;
    try {
      row = await this.db.app.findUnique({
        where: { id: appId },
        include: { owner: { select: { status: true } }, subscriptions: { where: { status: "approved" }, include: { product: { select: { id: true, scopes: true } } } } },
      });
    } catch (error) {
      // Database away: keep serving what was known. Revocations still clear the
      // cache through the store, so a stale entry is never more permissive than the last
      // announcement.
      if (hit) return hit.app;
      throw error;
    }
    const app: AppStanding | null = row
      ? {
          appId: row.id,
          developerId: row.ownerId,
          active: row.status === "active" && row.owner.status === "active",
          approvedProductIds: row.subscriptions.map((s) => s.productId),
          approvedScopes: new Set(row.subscriptions.flatMap((s) => parseList(s.product.scopes))),
        }
      : null;
    remember(this.byAppId, appId, { app, until: now + this.ttlMs }, this.maxEntries);
    return app;
  }

  /** Scenario 2: the portal app whose Okta client (App.oktaClientId, else a credential's
   * client_id) issued an Okta access token (`cid`). */
  async findByOktaClientId(cid: string, now = Date.now()): Promise<AppStanding | null> {
    const hit = this.byOktaClient.get(cid);
    let appId: string | null;
    if (hit && hit.until > now) appId = hit.appId;
    else {
      const app = await this.db.app.findUnique({ where: { oktaClientId: cid }, select: { id: true } });
      const credential = app ? null : await this.db.credential.findUnique({ where: { clientId: cid }, select: { appId: true, status: true } });
      appId = app?.id ?? (credential?.status === "active" ? credential.appId : null);
      remember(this.byOktaClient, cid, { appId, until: now + this.ttlMs }, this.maxEntries);
    }
    return appId ? this.find(appId, now) : null;
  }
}

function parseList(column: string): string[] {
  try {
    const value: unknown = JSON.parse(column);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}
