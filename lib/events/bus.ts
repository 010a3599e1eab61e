// Announcements: one typed topic per channel, a zod schema checked on both sides, one way to
// publish and one way to listen. A message reaches the subscribers of this thread at once (before
// whoever changed something gets an answer), the process's other threads through the thread bus
// (lib/runtime/thread-bus.ts), and every other instance through the store (Redis, or memory
// within one process). Each subscriber hears a message once, whichever way reached it first.
// A subscriber says what it does when messages may have been missed (the store reconnected):
// caches start over, registries reload — a lost invalidation must never leave a stale entry in
// place for longer than its own lifetime.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import type { z } from "zod";
import { openThreadBus } from "../runtime/thread-bus.ts";
import { sharedInstance } from "../runtime/shared-instance.ts";
import type { Store } from "../store/index.ts";

export interface Topic<T> {
  readonly channel: string;
  readonly schema: z.ZodType<T>;
}

export const topic = <T extends object>(channel: string, schema: z.ZodType<T>): Topic<T> => ({ channel, schema });

/** The key that carries a message's id through the store. Topic schemas strip keys they do not
 * name, so an instance of an older version reads the message as before. */
const ID_KEY = "_event";

interface Envelope {
  channel: string;
  id: string;
  message: unknown;
}

/** Tells this thread, the process's other threads and every instance. The database is already
 * the truth, so a store failure only delays the effect until caches expire or registries refresh
 * and never fails the change itself; a message that does not fit its topic is a programming
 * error and throws. */
export async function publish<T>(store: Store, to: Topic<T>, message: T): Promise<void> {
  const parsed = to.schema.parse(message);
  const local = localDelivery();
  const envelope: Envelope = { channel: to.channel, id: `${local.origin}:${++local.sent}`, message: parsed };
  local.emitters.get(store)?.emit(to.channel, envelope);
  local.threads?.post(envelope);
  await store.publish(to.channel, JSON.stringify({ ...parsed, [ID_KEY]: envelope.id })).catch(() => {});
}

export interface SubscribeOptions {
  /** Messages may have been lost (the store reconnected): start over. */
  onMissed: () => void;
}

/** Calls `handler` once with every well-formed message of `from`; returns the unsubscribe. */
export async function subscribe<T>(store: Store, from: Topic<T>, handler: (message: T) => void, options: SubscribeOptions): Promise<() => Promise<void>> {
  const seen = new RecentIds();
  const deliver = (id: unknown, message: unknown) => {
    if (typeof id === "string" && !seen.add(id)) return;
    const parsed = from.schema.safeParse(message);
    if (parsed.success) handler(parsed.data);
  };
  const onLocal = (envelope: Envelope) => deliver(envelope.id, envelope.message);
  const local = localDelivery();
  let emitter = local.emitters.get(store);
  if (!emitter) local.emitters.set(store, (emitter = new EventEmitter().setMaxListeners(0)));
  emitter.on(from.channel, onLocal);

  const offMissed = store.onMessagesMissed(options.onMissed);
  const offMessages = await store.subscribe(from.channel, (raw) => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return; // not ours: a stray publisher's
    }
    deliver(json && typeof json === "object" ? (json as Record<string, unknown>)[ID_KEY] : undefined, json);
  });
  return async () => {
    emitter.off(from.channel, onLocal);
    if (emitter.eventNames().length === 0) local.emitters.delete(store);
    offMissed();
    await offMessages();
  };
}

/** The ids a subscriber heard lately: a message arrives once directly and again through the
 * store (and, across threads, through both the thread bus and a memory store's relay). */
class RecentIds {
  private readonly ids = new Set<string>();
  /** False when the id was heard already. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > 256) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

// One per thread, shared by server.ts and the Next bundle (which load this module separately).
// Subscribers are grouped by store, so stores side by side in one test process stay apart; what
// comes from another thread reaches every group (a thread serves one store).
const localDelivery = () =>
  sharedInstance("event-bus", () => {
    const emitters = new Map<Store, EventEmitter>();
    const threads = openThreadBus("events", (data) => {
      const envelope = data as Envelope;
      for (const emitter of emitters.values()) emitter.emit(envelope.channel, envelope);
    });
    return { origin: randomUUID(), sent: 0, emitters, threads };
  });
