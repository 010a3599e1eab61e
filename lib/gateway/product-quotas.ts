// API products' quota settings as the quota policy reads them on every call: from the database,
// cached per gateway (changes apply within `ttlMs`); while the database is away the last known
// settings keep applying (or, never loaded, the policy's own).
import type { Database } from "../db/index.ts";
import type { MaybePromise } from "../runtime/maybe-async.ts";
import { TtlCache } from "../runtime/ttl-cache.ts";

export interface ProductQuota {
  quotaLimit: number | null;
  quotaIntervalSeconds: number | null;
  quotaWindow: string;
}

/** A product's quota settings; answered synchronously when cached. */
export type ProductQuotaSource = (productId: string) => MaybePromise<ProductQuota | null>;

export function productQuotasFromDatabase(db: Database, now: () => number, ttlMs = 30_000): ProductQuotaSource {
  const cache = new TtlCache<ProductQuota | null>(10_000);
  const load = async (productId: string) => {
    try {
      const value = await db.apiProduct.findUnique({ where: { id: productId }, select: { quotaLimit: true, quotaIntervalSeconds: true, quotaWindow: true } });
      cache.set(productId, value, now() + ttlMs);
      return value;
    } catch {
      return cache.last(productId)?.value ?? null;
    }
  };
  return (productId) => {
    const hit = cache.fresh(productId, now());
    return hit ? hit.value : load(productId);
  };
}
