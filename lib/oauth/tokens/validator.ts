// Access-token validation for the gateway, userinfo and the management API: an O(1) hash
// lookup behind an in-process cache. Revocations reach the cache at once — on this instance
// and, through lib/events, on every other one — so a revoked token stops working
// within the time a message takes, not when a cache entry happens to expire.
import type { MaybePromise } from "../../runtime/maybe-async.ts";
import type { Database } from "../../db/index.ts";
import type { Store } from "../../store/index.ts";
import { SECRET_PREFIXES, hashSecret } from "../../security/secrets.ts";
import { readStringList } from "../../db/json-columns.ts";
import { findAccessTokenByHash, type AccessTokenRow } from "./access-token-rows.ts";
import { findExternalTokenByHash, type ExternalTokenRow } from "./external-tokens.ts";
import { recordTokenCache } from "../../metrics/index.ts";
import { revocationCovers, type RevocationScope } from "./revocation.ts";
import { subscribe } from "../../events/bus.ts";
import { topics } from "../../events/topics.ts";
import { TtlCache } from "../../runtime/ttl-cache.ts";
import { readActor, type ActorClaim } from "./actor.ts";

export interface ValidToken {
  tokenId: string;
  /** Gatehouse's own token, or one Okta minted that Gatehouse keeps for an app (password mode okta_token). */
  kind: "gatehouse" | "external";
  appId: string;
  credentialId: string | null;
  userSub: string | null;
  scopes: Set<string>;
  products: string[];
  idTokenRecordId: string | null;
  familyId: string | null;
  authCodeId: string | null;
  expiresAt: number;
  issuedAt: number;
  /**
   * RFC 8705: the x5t#S256 of the client certificate the token is bound to, or null. A bound
   * token is valid only on a request presenting that certificate (see presentedWithBinding).
   */
  certificateThumbprint: string | null;
  /** RFC 8693 §4.1: who acts for the user (a token from token exchange with an actor), or null. */
  actor: ActorClaim | null;
  /** RFC 9449: the JWK thumbprint (cnf.jkt) of the key the token is bound to, or null. A bound
   * token is valid only with a DPoP proof of that key (lib/oauth/dpop/resource-check.ts). */
  dpopJkt: string | null;
}

/** Whether a request whose verified client certificate has `presented` (or null), and whose
 * verified DPoP proof has the key thumbprint `proofJkt` (or null), may use `token`. Callers that
 * verify no DPoP proof pass none: a DPoP-bound token is then refused. */
export function presentedWithBinding(token: Pick<ValidToken, "certificateThumbprint" | "dpopJkt">, presented: string | null, proofJkt: string | null = null): boolean {
  return (token.certificateThumbprint === null || token.certificateThumbprint === presented) && (token.dpopJkt === null || token.dpopJkt === proofJkt);
}

export interface ValidatorOptions {
  maxEntries?: number;
  /** How long a valid token is trusted from the cache before the database is asked again. */
  positiveTtlMs?: number;
  /** How long an unknown token is remembered as unknown (blunts floods of garbage). */
  negativeTtlMs?: number;
}

export class AccessTokenValidator {
  private readonly cache: TtlCache<ValidToken | null>;
  private readonly positiveTtlMs: number;
  private readonly negativeTtlMs: number;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Database,
    private readonly store: Store,
    options: ValidatorOptions = {},
  ) {
    this.cache = new TtlCache(options.maxEntries ?? 100_000);
    this.positiveTtlMs = options.positiveTtlMs ?? 60_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
  }

  /** Subscribes to revocations; until then only the cache TTL bounds a revoked token's life. */
  async start(): Promise<void> {
    // revocations announced while the store was away never arrived: trust nothing cached
    this.unsubscribe = await subscribe(this.store, topics.revocations, (scope) => this.forget(scope), { onMissed: () => this.cache.clear() });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.cache.clear();
  }

  /** Synchronous on a cache hit (the gateway's every call but the first per token and minute). */
  validate(token: string, now = Date.now()): MaybePromise<ValidToken | null> {
    const key = hashSecret(token);
    const cached = this.cache.fresh(key, now);
    if (cached) {
      recordTokenCache(true);
      return cached.value && cached.value.expiresAt > now ? cached.value : null;
    }
    recordTokenCache(false);
    return this.load(token, key, now);
  }

  private async load(token: string, key: string, now: number): Promise<ValidToken | null> {
    const own = await findAccessTokenByHash(this.db, key);
    // a gth_at_ token is Gatehouse's own: only foreign-looking ones can be external (Okta's)
    const row: (ExternalTokenRow & Partial<AccessTokenRow>) | null = own ?? (token.startsWith(SECRET_PREFIXES.accessToken) ? null : await findExternalTokenByHash(this.db, key));
    const valid: ValidToken | null =
      row && !row.revokedAt && row.expiresAt.getTime() > now
        ? {
            tokenId: row.id,
            kind: own ? "gatehouse" : "external",
            appId: row.appId,
            credentialId: row.credentialId,
            userSub: row.userSub,
            scopes: new Set(row.scope.split(" ").filter(Boolean)),
            products: readStringList(row.products),
            idTokenRecordId: row.idTokenRecordId,
            familyId: row.familyId ?? null,
            authCodeId: row.authCodeId ?? null,
            expiresAt: row.expiresAt.getTime(),
            issuedAt: row.createdAt.getTime(),
            certificateThumbprint: row.certificateThumbprint ?? null,
            actor: readActor(row.actor ?? null),
            dpopJkt: row.dpopJkt ?? null,
          }
        : null;
    this.cache.set(key, valid, now + (valid ? Math.min(this.positiveTtlMs, valid.expiresAt - now) : this.negativeTtlMs));
    return valid;
  }

  /** Number of cached entries (tests, metrics). */
  get size(): number {
    return this.cache.size;
  }

  private forget(scope: RevocationScope): void {
    this.cache.deleteWhere((token) => !!token && revocationCovers(scope, token));
  }
}
