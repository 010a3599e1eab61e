// RFC 9449 §11.1: a proof is used once. Its jti is remembered per key (jkt) for as long as its
// iat keeps it acceptable, in the store every instance shares: the first increment wins.
import type { Store } from "../../store/index.ts";

/** True the first time this key's `jti` is seen within `windowMs`, false for a replay. */
export async function firstUse(store: Store, jkt: string, jti: string, windowMs: number): Promise<boolean> {
  const { count } = await store.increment(`dpop:jti:${jkt}:${jti}`, 1, windowMs);
  return count === 1;
}
