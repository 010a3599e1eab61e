// Shared state for counters (quota, spike arrest, bot windows), small caches and pub/sub
// (cache invalidation, revocation). One process: memory. Several instances: Redis.

export interface CounterResult {
  /** The counter's value after this increment. */
  count: number;
  /** Milliseconds until the window (and the counter) ends. */
  resetMs: number;
}

export type MessageHandler = (message: string) => void;

export interface Store {
  /** memory: this process; primary: the primary process's memory, over IPC (a gateway worker); redis: shared by every instance. */
  readonly kind: "memory" | "primary" | "redis";
  /** Adds `by` to a counter that starts at 0 and lives `windowMs` from its first increment. */
  increment(key: string, by: number, windowMs: number): Promise<CounterResult>;
  /** Adds each delta to a field of a hash that lives `windowMs` from its first change (one
   * round trip); answers every field's value after the change. For sliding behaviour windows. */
  incrementFields(key: string, deltas: Readonly<Record<string, number>>, windowMs: number): Promise<Record<string, number>>;
  /** Adds `member` to a distinct-count set that lives `windowMs` from its first member; answers
   * the (approximate, HyperLogLog on Redis) number of distinct members. Memory use is bounded. */
  addDistinct(key: string, member: string, windowMs: number): Promise<number>;
  get(key: string): Promise<string | null>;
  /** Stores a value, for `ttlMs` when given (keys without TTL are for small, bounded sets only). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message published on `channel` by any instance; returns an unsubscribe. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
  /** Calls `handler` when messages published meanwhile may have been lost — the subscription
   * came back after an outage — so caches kept fresh by messages must start over. */
  onMessagesMissed(handler: () => void): () => void;
  /** Rejects when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
