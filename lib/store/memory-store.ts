// The single-process store. Expired entries are dropped when read and by a periodic sweep, so
// memory stays bounded by what is live. Messages published here also reach the process's other
// thread (Next.js's, see lib/runtime/thread-bus.ts); counters and values are per thread, which
// suits what each lane counts (the gateway its quotas, the portal its sign-up limits).
import { EventEmitter } from "node:events";
import { openThreadBus, type ThreadBus } from "../runtime/thread-bus.ts";
import type { CounterResult, MessageHandler, Store } from "./types.ts";

interface Entry {
  /** Counters keep a number (no string round trip per increment); get() answers text. */
  value: string | number;
  expiresAt: number; // Infinity: no TTL
  fields?: Map<string, number>;
  members?: Set<string>;
}

/** Past this many members a distinct set stops growing and counts the rest (an over-estimate
 * is fine: distinct counts only need to say "many"). */
const MAX_DISTINCT_MEMBERS = 4_096;

export class MemoryStore implements Store {
  readonly kind = "memory" as const;
  private readonly entries = new Map<string, Entry>();
  private readonly bus = new EventEmitter().setMaxListeners(0);
  private readonly sweeper: NodeJS.Timeout;
  private readonly threads: ThreadBus | null;

  constructor(
    sweepEveryMs = 30_000,
    private readonly now: () => number = Date.now,
    options: { shareMessagesAcrossThreads?: boolean } = {},
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs).unref();
    this.threads = options.shareMessagesAcrossThreads
      ? openThreadBus("memory-store", (m) => {
          const { channel, message } = m as { channel: string; message: string };
          this.bus.emit(channel, message);
        })
      : null;
  }

  async increment(key: string, by: number, windowMs: number): Promise<CounterResult> {
    return this.incrementNow(key, by, windowMs);
  }

  /** increment(), answered synchronously: nothing here waits (quota and spike arrest count
   * per call through this when the shared store is this process's memory). */
  incrementNow(key: string, by: number, windowMs: number): CounterResult {
    const now = this.now();
    let entry = this.live(key, now);
    if (!entry) {
      entry = { value: 0, expiresAt: now + windowMs };
      this.entries.set(key, entry);
    }
    const count = (typeof entry.value === "number" ? entry.value : Number(entry.value)) + by;
    entry.value = count;
    return { count, resetMs: entry.expiresAt - now };
  }

  async incrementFields(key: string, deltas: Readonly<Record<string, number>>, windowMs: number): Promise<Record<string, number>> {
    const entry = this.window(key, windowMs);
    const fields = (entry.fields ??= new Map());
    for (const [field, by] of Object.entries(deltas)) fields.set(field, (fields.get(field) ?? 0) + by);
    return Object.fromEntries(fields);
  }

  async addDistinct(key: string, member: string, windowMs: number): Promise<number> {
    const entry = this.window(key, windowMs);
    const members = (entry.members ??= new Set());
    if (members.has(member)) return members.size + Number(entry.value);
    if (members.size < MAX_DISTINCT_MEMBERS) members.add(member);
    else entry.value = Number(entry.value) + 1;
    return members.size + Number(entry.value);
  }

  async get(key: string): Promise<string | null> {
    return this.getNow(key);
  }

  /** get(), answered synchronously. */
  getNow(key: string): string | null {
    const value = this.live(key, this.now())?.value;
    return value === undefined ? null : String(value);
  }

  /** A counter's value now, 0 when missing or not a number. */
  countNow(key: string): number {
    const value = this.live(key, this.now())?.value;
    return (typeof value === "number" ? value : Number(value ?? 0)) || 0;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? Infinity : this.now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async publish(channel: string, message: string): Promise<void> {
    // Delivered asynchronously, like Redis, so publishers never run subscribers' code inline.
    setImmediate(() => this.bus.emit(channel, message));
    this.threads?.post({ channel, message });
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    this.bus.on(channel, handler);
    return async () => void this.bus.off(channel, handler);
  }

  async ping(): Promise<void> {}

  /** One process: nothing is ever missed. */
  onMessagesMissed(): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.threads?.close();
    this.bus.removeAllListeners();
    this.entries.clear();
  }

  /** Number of live entries (for tests of boundedness). */
  size(): number {
    this.sweep();
    return this.entries.size;
  }

  private window(key: string, windowMs: number): Entry {
    const now = this.now();
    let entry = this.live(key, now);
    if (!entry) {
      entry = { value: 0, expiresAt: now + windowMs };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
