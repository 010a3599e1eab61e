// What policies need from the rest of Gatehouse — token validation, client and app lookups,
// stored id tokens, Okta's issuer and keys, product quotas, virtual patches, bot verdicts —
// behind one interface. The gateway builds them once (createGatewayServices) and every call's
// PolicyContext carries them; unit tests build fakes (test-context.ts).
import { decodeJwt, type JWTVerifyGetKey } from "jose";
import type { Logger } from "pino";
import type { Database } from "../db/index.ts";
import type { OAuthClient } from "../oauth/clients.ts";
import type { ValidToken } from "../oauth/tokens/validator.ts";
import type { DpopVerifier } from "../oauth/dpop/verifier.ts";
import { decrypt } from "../security/encryption.ts";
import type { BotDetector } from "../security/bot/index.ts";
import type { CompiledPatch } from "../security/virtual-patch.ts";
import type { Store } from "../store/types.ts";
import type { MaybePromise } from "../runtime/maybe-async.ts";
import type { AppDirectory, AppStanding } from "./apps.ts";
import { oktaKeySetsByIssuer } from "../okta/key-set.ts";
import { productQuotasFromDatabase, type ProductQuota } from "./product-quotas.ts";
import { VirtualPatchRegistry } from "./virtual-patches.ts";
import type { ResponseCache } from "./response-cache/response-cache.ts";
import type { GatewayEvents } from "./gateway-events.ts";

/** What bot-detection asks of the detector (lib/security/bot). */
export type BotVerdicts = Pick<BotDetector, "loadedRules" | "rules" | "decide" | "overThrottle" | "observe">;

export interface GatewayServices {
  /** Synchronous when cached, like findApp: the gateway's hot path. */
  validateToken(token: string): MaybePromise<ValidToken | null>;
  /** DPoP proofs of bound tokens (RFC 9449 §7). */
  dpop: DpopVerifier;
  /** Synchronous when cached. */
  findClient(clientId: string): MaybePromise<OAuthClient | null>;
  findApp(appId: string): MaybePromise<AppStanding | null>;
  findAppByOktaClientId(cid: string): Promise<AppStanding | null>;
  /** The claims of the user's Okta id token and the token itself, decrypted; null if gone. */
  readIdToken(recordId: string): Promise<{ jwt: string; claims: Record<string, unknown> } | null>;
  /** Okta's authorization server (verify-okta-jwt). */
  oktaIssuer(): string;
  /** An issuer's signing keys, one key set per issuer kept for the gateway's life (lib/okta/key-set.ts). */
  oktaKeys(issuer: string): JWTVerifyGetKey;
  /** An API product's quota settings (quota); synchronous when cached. */
  productQuota(productId: string): MaybePromise<ProductQuota | null>;
  /** The virtual patches in force (regex protection); synchronous once loaded. */
  virtualPatches(): MaybePromise<readonly CompiledPatch[]>;
  bots: BotVerdicts;
  /** Cached answers and each proxy's cache generation (response-cache). */
  responseCache: ResponseCache;
  /** Notification events (quota thresholds): handed over without waiting (gateway-events.ts). */
  events: GatewayEvents;
}

export function createGatewayServices(deps: {
  db: Database;
  store: Store;
  log: Logger;
  now: () => number;
  validator: { validate(token: string): MaybePromise<ValidToken | null> };
  clients: { find(clientId: string): MaybePromise<OAuthClient | null> };
  apps: AppDirectory;
  bots: BotVerdicts;
  encryptionKey: Buffer;
  oktaIssuer: () => string;
  responseCache: ResponseCache;
  dpop: DpopVerifier;
  events: GatewayEvents;
}): { services: GatewayServices; close(): Promise<void> } {
  const { db, apps } = deps;
  const patches = new VirtualPatchRegistry(db, deps.store, deps.log, { now: deps.now });
  const productQuota = productQuotasFromDatabase(db, deps.now);
  const services: GatewayServices = {
    validateToken: (token) => deps.validator.validate(token),
    dpop: deps.dpop,
    findClient: (clientId) => deps.clients.find(clientId),
    findApp: (appId) => apps.find(appId),
    findAppByOktaClientId: (cid) => apps.findByOktaClientId(cid),
    async readIdToken(recordId) {
      const record = await db.idTokenRecord.findUnique({ where: { id: recordId } });
      if (!record) return null;
      const jwt = decrypt(record.ciphertext, deps.encryptionKey, record.userSub);
      return { jwt, claims: decodeJwt(jwt) as Record<string, unknown> };
    },
    oktaIssuer: deps.oktaIssuer,
    oktaKeys: oktaKeySetsByIssuer(),
    productQuota,
    virtualPatches: () => patches.current(),
    bots: deps.bots,
    responseCache: deps.responseCache,
    events: deps.events,
  };
  return { services, close: () => patches.close() };
}
