// The in-process cache of values that go stale (clients, access tokens, app standings): each
// entry lives until its own deadline, the least recently used entry goes first when the cache
// is full, and announcements (revocations, app changes) delete the entries they cover. Keys are
// strings; a value may be null (a remembered "not found").

export interface CacheEntry<V> {
  readonly value: V;
  readonly until: number;
}

export class TtlCache<V> {
  // a Map iterates in insertion order: re-inserting on use keeps the least recently used first
  private readonly entries = new Map<string, CacheEntry<V>>();
  /** The most recently used key: using it again changes no order, so it is not re-inserted
   * (a Map delete + set on every hit showed in the gateway's profile; one hot caller is common). */
  private newest: string | undefined;

  constructor(private readonly maxEntries: number) {}

  /** The entry while it is fresh at `now` (a use: it moves to the back of the eviction queue). */
  fresh(key: string, now: number): CacheEntry<V> | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.until <= now) return undefined;
    if (key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.newest = key;
    }
    return entry;
  }

  /** The entry, fresh or not: what was last known, to answer from while the source is away. */
  last(key: string): CacheEntry<V> | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V, until: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until });
    this.newest = key;
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Deletes every entry whose value `covers` says is concerned (an announced change). */
  deleteWhere(covers: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (covers(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
