// What the gateway must know about an app on every call — is it (and its owner) in good
// standing, which products is it approved for — cached per process for 30 s and forgotten at
// once when a revocation or an app change is announced on any instance.
import type { MaybePromise } from "../runtime/maybe-async.ts";
import type { Database } from "../db/index.ts";
import type { Store } from "../store/index.ts";
import { readStringList } from "../db/json-columns.ts";
import { TtlCache } from "../runtime/ttl-cache.ts";
import { Subscriptions } from "../runtime/subscriptions.ts";
import { subscribe } from "../events/bus.ts";
import { topics } from "../events/topics.ts";
import { credentialRestrictions, type CredentialRestrictions } from "../security/credential-restrictions.ts";

/** What the gateway checks of the credential an access token was issued to. */
export interface CredentialStanding {
  /** A renewed credential's tokens stop with it at the end of its grace period (ms). */
  graceEndsAt: number | null;
  restrictions: CredentialRestrictions;
}

export interface AppStanding {
  appId: string;
  developerId: string;
  /** App active and owner not suspended. */
  active: boolean;
  approvedProductIds: readonly string[];
  /** Union of the approved products' scopes (what an API key or an Okta app may do). */
  approvedScopes: ReadonlySet<string>;
  /** The app's active credentials by id (access tokens name theirs). */
  credentials: ReadonlyMap<string, CredentialStanding>;
}

export interface AppDirectoryOptions {
  /** How long an app's standing is trusted without an announcement. */
  ttlMs?: number;
  maxEntries?: number;
}

export class AppDirectory {
  private readonly ttlMs: number;
  private readonly byAppId: TtlCache<AppStanding | null>;
  private readonly byOktaClient: TtlCache<string | null>;
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly db: Database,
    private readonly store: Store,
    options: AppDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.byAppId = new TtlCache(options.maxEntries ?? 50_000);
    this.byOktaClient = new TtlCache(options.maxEntries ?? 50_000);
  }

  async start(): Promise<void> {
    const forget = () => this.clear();
    // when messages were missed, nothing cached can be trusted
    await this.subscriptions.hold(subscribe(this.store, topics.revocations, forget, { onMissed: forget }), subscribe(this.store, topics.appChanges, forget, { onMissed: forget }));
  }

  async stop(): Promise<void> {
    await this.subscriptions.release();
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
    const hit = this.byAppId.fresh(appId, now);
    return hit ? hit.value : this.load(appId, now);
  }

  private async load(appId: string, now: number): Promise<AppStanding | null> {
    let row;
    try {
      row = await this.db.app.findUnique({
        where: { id: appId },
        include: {
          owner: { select: { status: true } },
          credentials: { where: { status: "active" }, select: { id: true, graceEndsAt: true, allowedReferrers: true, allowedCidrs: true } },
          subscriptions: { where: { status: "approved" }, include: { product: { select: { id: true, scopes: true } } } },
        },
      });
    } catch (error) {
      // Database away: keep serving what was known. Revocations still clear the
      // cache through the store, so a stale entry is never more permissive than the last
      // announcement.
      const last = this.byAppId.last(appId);
      if (last) return last.value;
      throw error;
    }
    const app: AppStanding | null = row
      ? {
          appId: row.id,
          developerId: row.ownerId,
          active: row.status === "active" && row.owner.status === "active",
          approvedProductIds: row.subscriptions.map((s) => s.productId),
          approvedScopes: new Set(row.subscriptions.flatMap((s) => readStringList(s.product.scopes))),
          credentials: new Map(
            row.credentials.map((c) => [c.id, { graceEndsAt: c.graceEndsAt?.getTime() ?? null, restrictions: credentialRestrictions(c.allowedReferrers, c.allowedCidrs) }]),
          ),
        }
      : null;
    this.byAppId.set(appId, app, now + this.ttlMs);
    return app;
  }

  /** Scenario 2: the portal app whose Okta client (App.oktaClientId, else a credential's
   * client_id) issued an Okta access token (`cid`). */
  async findByOktaClientId(cid: string, now = Date.now()): Promise<AppStanding | null> {
    const hit = this.byOktaClient.fresh(cid, now);
    let appId: string | null;
    if (hit) appId = hit.value;
    else {
      const app = await this.db.app.findUnique({ where: { oktaClientId: cid }, select: { id: true } });
      const credential = app ? null : await this.db.credential.findUnique({ where: { clientId: cid }, select: { appId: true, status: true } });
      appId = app?.id ?? (credential?.status === "active" ? credential.appId : null);
      this.byOktaClient.set(cid, appId, now + this.ttlMs);
    }
    return appId ? this.find(appId, now) : null;
  }
}
