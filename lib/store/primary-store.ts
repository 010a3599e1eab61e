// The store of a machine-lane worker process when there is no Redis: the primary process's
// memory store, asked over IPC (lib/server/machine-workers.ts serves it with serveStore). Every
// worker counts in the same counters and hears the same messages, so quota, spike arrest, bot
// windows and cache invalidation stay exact across workers without Redis. The primary lives as
// long as its workers (a worker whose primary is gone exits), so nothing is ever missed.
import type { IpcPeer } from "../runtime/ipc-peer.ts";
import type { CounterResult, MessageHandler, Store } from "./types.ts";

/** The store operations a worker asks for, by name, with their arguments. */
export type StoreOperation =
  | ["increment", string, number, number]
  | ["incrementFields", string, Readonly<Record<string, number>>, number]
  | ["addDistinct", string, string, number]
  | ["get", string]
  | ["set", string, string, number | undefined]
  | ["delete", string]
  | ["publish", string, string]
  | ["ping"];

export const STORE_REQUEST = "store";
export const STORE_SUBSCRIBE = "store.subscribe";
export const STORE_UNSUBSCRIBE = "store.unsubscribe";
export const STORE_MESSAGE = "store.message";

export class PrimaryStore implements Store {
  readonly kind = "primary" as const;
  private readonly handlers = new Map<string, Set<MessageHandler>>();

  constructor(private readonly peer: IpcPeer) {
    peer.handle(STORE_MESSAGE, ([channel, message]: [string, string]) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  increment(key: string, by: number, windowMs: number): Promise<CounterResult> {
    return this.ask(["increment", key, by, windowMs]);
  }
  incrementFields(key: string, deltas: Readonly<Record<string, number>>, windowMs: number): Promise<Record<string, number>> {
    return this.ask(["incrementFields", key, deltas, windowMs]);
  }
  addDistinct(key: string, member: string, windowMs: number): Promise<number> {
    return this.ask(["addDistinct", key, member, windowMs]);
  }
  get(key: string): Promise<string | null> {
    return this.ask(["get", key]);
  }
  set(key: string, value: string, ttlMs?: number): Promise<void> {
    return this.ask(["set", key, value, ttlMs]);
  }
  delete(key: string): Promise<void> {
    return this.ask(["delete", key]);
  }
  publish(channel: string, message: string): Promise<void> {
    return this.ask(["publish", channel, message]);
  }
  ping(): Promise<void> {
    return this.ask(["ping"]);
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    let handlers = this.handlers.get(channel);
    if (!handlers) {
      this.handlers.set(channel, (handlers = new Set()));
      await this.peer.request(STORE_SUBSCRIBE, channel);
    }
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
      if (handlers.size > 0 || this.handlers.get(channel) !== handlers) return;
      this.handlers.delete(channel);
      await this.peer.request(STORE_UNSUBSCRIBE, channel).catch(() => {});
    };
  }

  /** The primary outlives its workers: no message is lost while a worker runs. */
  onMessagesMissed(): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }

  private ask<T>(operation: StoreOperation): Promise<T> {
    return this.peer.request<T>(STORE_REQUEST, operation);
  }
}

/** The primary's side: answers one worker's store operations from `store` and relays the
 * messages of the channels that worker listens to. Returns what undoes it (the worker left). */
export function serveStore(peer: IpcPeer, store: Store): () => void {
  const subscriptions = new Map<string, Promise<() => Promise<void>>>();
  peer.handle(STORE_REQUEST, (operation: StoreOperation): unknown => {
    switch (operation[0]) {
      case "increment":
        return store.increment(operation[1], operation[2], operation[3]);
      case "incrementFields":
        return store.incrementFields(operation[1], operation[2], operation[3]);
      case "addDistinct":
        return store.addDistinct(operation[1], operation[2], operation[3]);
      case "get":
        return store.get(operation[1]);
      case "set":
        return store.set(operation[1], operation[2], operation[3] ?? undefined);
      case "delete":
        return store.delete(operation[1]);
      case "publish":
        return store.publish(operation[1], operation[2]);
      case "ping":
        return store.ping();
      default:
        throw new Error(`unknown store operation ${String((operation as unknown[])[0])}`);
    }
  });
  peer.handle(STORE_SUBSCRIBE, async (channel: string) => {
    if (!subscriptions.has(channel))
      subscriptions.set(
        channel,
        store.subscribe(channel, (message) => peer.notify(STORE_MESSAGE, [channel, message])),
      );
    await subscriptions.get(channel);
  });
  peer.handle(STORE_UNSUBSCRIBE, async (channel: string) => {
    const unsubscribe = subscriptions.get(channel);
    subscriptions.delete(channel);
    await (
      await unsubscribe
    )?.();
  });
  return () => {
    for (const unsubscribe of subscriptions.values()) void unsubscribe.then((off) => off());
    subscriptions.clear();
  };
}
