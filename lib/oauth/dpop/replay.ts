// RFC 9449 §11.1: a proof is used once. Its jti is remembered per key (jkt) for as long as its
// iat keeps it acceptable, in the store every instance shares: the first increment wins.
import type { MaybePromise } from "../../runtime/maybe-async.ts";
import { MemoryStore } from "../../store/memory-store.ts";
import type { Store } from "../../store/index.ts";

/** True the first time this key's `jti` is seen within `windowMs`, false for a replay.
 * Synchronous when the store is this process's memory (no microtask on the gateway's path). */
export function firstUse(store: Store, jkt: string, jti: string, windowMs: number): MaybePromise<boolean> {
  const key = `dpop:jti:${jkt}:${jti}`;
  if (store instanceof MemoryStore) return store.incrementNow(key, 1, windowMs).count === 1;
  return store.increment(key, 1, windowMs).then(({ count }) => count === 1);
}
