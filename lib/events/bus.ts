// Announcements between instances (through the store: Redis, or memory within one process and
// its threads): one typed topic per channel, a zod schema checked on both sides, and one way
// to listen. A subscriber says what it does when messages may have been missed (the store
// reconnected): caches start over, registries reload — a lost invalidation must never leave a
// stale entry in place for longer than its own lifetime.
import type { z } from "zod";
import type { Store } from "../store/index.ts";

export interface Topic<T> {
  readonly channel: string;
  readonly schema: z.ZodType<T>;
}

export const topic = <T>(channel: string, schema: z.ZodType<T>): Topic<T> => ({ channel, schema });

/** Tells every instance. The database is already the truth, so a store failure only delays the
 * effect until caches expire or registries refresh and never fails the change itself; a message
 * that does not fit its topic is a programming error and throws. */
export async function publish<T>(store: Store, to: Topic<T>, message: T): Promise<void> {
  await store.publish(to.channel, JSON.stringify(to.schema.parse(message))).catch(() => {});
}

export interface SubscribeOptions {
  /** Messages may have been lost (the store reconnected): start over. */
  onMissed: () => void;
}

/** Calls `handler` with every well-formed message of `from`; returns the unsubscribe. */
export async function subscribe<T>(store: Store, from: Topic<T>, handler: (message: T) => void, options: SubscribeOptions): Promise<() => Promise<void>> {
  const offMissed = store.onMessagesMissed(options.onMissed);
  const offMessages = await store.subscribe(from.channel, (raw) => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return; // not ours: another version's or a stray publisher's
    }
    const parsed = from.schema.safeParse(json);
    if (parsed.success) handler(parsed.data);
  });
  return async () => {
    offMissed();
    await offMessages();
  };
}
