// The process's store: Redis when REDIS_URL is set, memory otherwise — or, in a machine-lane
// worker process without Redis, the primary's memory over IPC (primary-store.ts, set by makeProcessStore).
import { getConfig } from "../config/index.ts";
import { sharedInstance, takeSharedInstance } from "../runtime/shared-instance.ts";
import { MemoryStore } from "./memory-store.ts";
import { RedisStore } from "./redis-store.ts";
import type { Store } from "./types.ts";

export type { Store, CounterResult, MessageHandler } from "./types.ts";
export { MemoryStore } from "./memory-store.ts";
export { RedisStore } from "./redis-store.ts";
export { PrimaryStore, serveStore } from "./primary-store.ts";

export function createStore(redis: { url: string; keyPrefix: string } | null): Store {
  return redis ? new RedisStore(redis.url, redis.keyPrefix) : new MemoryStore(undefined, undefined, { shareMessagesAcrossThreads: true });
}

export function getStore(): Store {
  return sharedInstance("store", () => createStore(getConfig().redis));
}

/**
 * The store both lanes of this process share: Redis when configured; without it, the main
 * thread's memory — which the browser lane's thread reaches over its port (set there with
 * shareMainThreadStore, lib/server/browser-lane-worker.ts). For records one lane writes and
 * the other reads: a request pushed at /oauth/par (machine lane) is claimed by /oauth/authorize
 * (Next.js).
 */
export function laneSharedStore(): Store {
  return sharedInstance("lane-shared-store", getStore);
}

/** In the browser lane's thread without Redis: the main thread's store, asked over the thread's port. */
export function shareMainThreadStore(store: Store): void {
  takeSharedInstance<Store>("lane-shared-store");
  sharedInstance("lane-shared-store", () => store);
}

/** Makes `store` the process's store; before anything else asked for one. */
export function makeProcessStore(store: Store): Store {
  takeSharedInstance<Store>("store");
  return sharedInstance("store", () => store);
}

export async function closeStore(): Promise<void> {
  await takeSharedInstance<Store>("store")?.close();
}
