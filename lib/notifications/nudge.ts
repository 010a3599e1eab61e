// Waking the notification workers of every instance at once, through the store's pub/sub (Redis
// across instances, the thread bus within one), instead of waiting for their next poll.
import type { Store } from "../store/index.ts";

export const NUDGE_CHANNEL = "notifications:nudge";

/** Call after the transaction that recorded events commits. A lost nudge only waits for the next poll. */
export async function nudgeNotifications(store: Store): Promise<void> {
  await store.publish(NUDGE_CHANNEL, "1").catch(() => {});
}
