// The gateway's response cache: the entry store (memory or shared), each proxy's cache
// generation, and purges. A purge of a whole proxy bumps its generation, which is part of
// every entry's key, so invalidation is O(1) whatever the number of entries: with Redis the
// generation is a counter in the store (read once per proxy, then kept current by the purge
// message), without it each gateway process bumps its own on the message (which reaches every
// thread and process through the store's pub/sub). A purge by path prefix is a dated record
// (kept in the store with Redis): entries of that proxy stored before it, under that prefix,
// are misses.
import type { Logger } from "pino";
import { publish, subscribe } from "../../events/bus.ts";
import { topics, type ResponseCachePurge } from "../../events/topics.ts";
import type { Store } from "../../store/types.ts";
import type { MaybePromise } from "../../runtime/maybe-async.ts";
import { MemoryEntryStore, SharedEntryStore, type EntryStore } from "./entry-store.ts";

/** No answer is kept longer than this, whatever the policy or the upstream says. */
export const MAX_TTL_SECONDS = 7 * 86_400;
const PREFIX_PURGES_KEPT = 100;

const generationKey = (proxyId: string) => `response-cache-generation:${proxyId}`;
const prefixPurgesKey = (proxyId: string) => `response-cache-prefixes:${proxyId}`;
/** Every entry key of a proxy starts with this. */
export const entryKeyPrefix = (proxyId: string) => `response-cache:${proxyId}:`;

interface PrefixPurge {
  prefix: string;
  at: number;
}

export interface ResponseCacheOptions {
  /** The memory store's bound (ignored with a shared store). */
  memoryBytes: number;
  log: Logger;
  now?: () => number;
}

export class ResponseCache {
  readonly entries: EntryStore;
  private readonly shared: boolean;
  private readonly generations = new Map<string, number>();
  private readonly prefixPurges = new Map<string, PrefixPurge[]>();
  private readonly loading = new Map<string, Promise<number | null>>();
  private readonly now: () => number;
  private unsubscribe: (() => Promise<void>) | null = null;
  private lastWarnAt = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly options: ResponseCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.shared = store.kind !== "memory";
    this.entries = this.shared ? new SharedEntryStore(store, (error) => this.warn(error)) : new MemoryEntryStore(options.memoryBytes, this.now);
  }

  async start(): Promise<void> {
    const forget = () => {
      // purges may have been missed: read generations again (shared), or start over (memory)
      this.generations.clear();
      this.prefixPurges.clear();
      this.loading.clear();
      if (!this.shared) this.entries.close();
    };
    this.unsubscribe = await subscribe(this.store, topics.responseCachePurges, (m) => this.purged(m), { onMissed: forget });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = null;
    this.entries.close();
  }

  /** The proxy's current generation; null when the shared store cannot tell (the call bypasses the cache). */
  generation(proxyId: string): MaybePromise<number | null> {
    const known = this.generations.get(proxyId);
    if (known !== undefined) return known;
    if (!this.shared) return 0;
    let loading = this.loading.get(proxyId);
    if (!loading) {
      loading = this.load(proxyId).finally(() => this.loading.delete(proxyId));
      this.loading.set(proxyId, loading);
    }
    return loading;
  }

  /** An entry of `proxyId` for `path`, stored at `storedAt`, was purged by path prefix since. */
  purgedSince(proxyId: string, path: string, storedAt: number): boolean {
    const purges = this.prefixPurges.get(proxyId);
    if (!purges) return false;
    for (const purge of purges) if (purge.at >= storedAt && path.startsWith(purge.prefix)) return true;
    return false;
  }

  private async load(proxyId: string): Promise<number | null> {
    try {
      const [generation, prefixes] = await Promise.all([this.store.get(generationKey(proxyId)), this.store.get(prefixPurgesKey(proxyId))]);
      const value = Number(generation ?? 0) || 0;
      this.generations.set(proxyId, Math.max(value, this.generations.get(proxyId) ?? 0));
      if (prefixes) this.prefixPurges.set(proxyId, parsePrefixPurges(prefixes));
      return this.generations.get(proxyId)!;
    } catch (error) {
      this.warn(error);
      return null;
    }
  }

  private purged(message: ResponseCachePurge): void {
    const { proxyId } = message;
    if (message.pathPrefix !== undefined) {
      const list = this.prefixPurges.get(proxyId) ?? [];
      list.push({ prefix: message.pathPrefix, at: message.at ?? this.now() });
      this.prefixPurges.set(proxyId, list.slice(-PREFIX_PURGES_KEPT));
      return;
    }
    const current = this.generations.get(proxyId) ?? 0;
    this.generations.set(proxyId, Math.max(current + (this.shared ? 0 : 1), message.generation ?? 0));
    if (this.shared && message.generation === undefined) this.generations.delete(proxyId); // read it again
    this.prefixPurges.delete(proxyId); // older prefix purges are covered by the new generation
    this.entries.dropPrefix(entryKeyPrefix(proxyId));
  }

  private warn(error: unknown): void {
    const now = this.now();
    if (now - this.lastWarnAt < 60_000) return;
    this.lastWarnAt = now;
    this.options.log.warn({ err: error }, "response cache store unavailable: calls go to the upstream");
  }
}

function parsePrefixPurges(text: string): PrefixPurge[] {
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? list.filter((p): p is PrefixPurge => typeof p?.prefix === "string" && typeof p?.at === "number") : [];
  } catch {
    return [];
  }
}

/** Purges a proxy's cached answers on every instance and process: all of them, or those whose
 * path starts with `pathPrefix`. The management API calls it. */
export async function purgeResponseCache(store: Store, proxyId: string, pathPrefix?: string, now: number = Date.now()): Promise<void> {
  if (pathPrefix !== undefined) {
    if (store.kind !== "memory") {
      const kept = parsePrefixPurges((await store.get(prefixPurgesKey(proxyId))) ?? "[]");
      kept.push({ prefix: pathPrefix, at: now });
      await store.set(prefixPurgesKey(proxyId), JSON.stringify(kept.slice(-PREFIX_PURGES_KEPT)), MAX_TTL_SECONDS * 1000);
    }
    await publish(store, topics.responseCachePurges, { proxyId, pathPrefix, at: now });
    return;
  }
  // the counter outlives any entry (MAX_TTL_SECONDS), so a reset to 0 after it expires is harmless
  const generation = store.kind !== "memory" ? (await store.increment(generationKey(proxyId), 1, 4 * MAX_TTL_SECONDS * 1000)).count : undefined;
  await publish(store, topics.responseCachePurges, { proxyId, ...(generation !== undefined ? { generation } : {}) });
}
