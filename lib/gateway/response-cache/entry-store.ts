// Where cached answers live. Memory (default): one LRU per gateway instance — per worker
// process when the gateway runs on several — bounded in bytes. Shared: the project's Store
// (Redis when configured), so every instance serves what any of them stored; entries are JSON
// with the body in base64 and expire with their freshness. A store that fails or is slow is a
// miss, never a failed call.
import type { Store } from "../../store/types.ts";
import type { MaybePromise } from "../../runtime/maybe-async.ts";

/** An answer as it was stored. */
export interface CachedAnswer {
  kind: "answer";
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** When it was stored (ms since the epoch, the storing instance's clock). */
  storedAt: number;
  initialAgeSeconds: number;
  ttlSeconds: number;
  /** The request's values of the headers the answer varies on (RFC 9111 §4.1); null: absent. */
  vary: Record<string, string | null>;
  /** The canonical path it answers (purges by path prefix compare it). */
  path: string;
}

/** Stored at a request's base key when its answers are kept further apart — per app
 * (RFC 9111 §3.5) and/or per value of the headers they vary on (§4.1). */
export interface CachePointer {
  kind: "pointer";
  perApp: boolean;
  vary: string[];
}

export type CacheRecord = CachedAnswer | CachePointer;

export interface EntryStore {
  get(key: string): MaybePromise<CacheRecord | null>;
  /** Never throws: a record that cannot be stored is simply not cached. */
  set(key: string, record: CacheRecord, ttlMs: number): MaybePromise<void>;
  /** Frees what belongs to a proxy (keys start with `prefix`); reachability is the generation's job. */
  dropPrefix(prefix: string): void;
  close(): void;
}

const sizeOf = (key: string, record: CacheRecord) =>
  key.length + (record.kind === "pointer" ? 64 : record.body.length + 256 + Object.entries(record.headers).reduce((n, [k, v]) => n + k.length + v.length, 0));

/** Least recently used first out, past `maxBytes`; expired entries go when read. */
export class MemoryEntryStore implements EntryStore {
  private readonly entries = new Map<string, { record: CacheRecord; expiresAt: number; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): CacheRecord | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.bytes -= entry.bytes;
      return null;
    }
    this.entries.set(key, entry); // most recently used goes last
    return entry.record;
  }

  set(key: string, record: CacheRecord, ttlMs: number): void {
    const bytes = sizeOf(key, record);
    if (bytes > this.maxBytes) return;
    this.remove(key);
    this.entries.set(key, { record, expiresAt: this.now() + ttlMs, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  dropPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.remove(key);
  }

  /** Bytes held (for tests of the bound). */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  close(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

interface Wire {
  k: "a" | "p";
  s?: number;
  h?: Record<string, string>;
  b?: string;
  t?: number;
  i?: number;
  l?: number;
  v?: Record<string, string | null> | string[];
  p?: string | boolean;
}

function encode(record: CacheRecord): string {
  const wire: Wire =
    record.kind === "pointer"
      ? { k: "p", p: record.perApp, v: record.vary }
      : {
          k: "a",
          s: record.status,
          h: record.headers,
          b: record.body.toString("base64"),
          t: record.storedAt,
          i: record.initialAgeSeconds,
          l: record.ttlSeconds,
          v: record.vary,
          p: record.path,
        };
  return JSON.stringify(wire);
}

function decode(text: string): CacheRecord | null {
  try {
    const w = JSON.parse(text) as Wire;
    if (w.k === "p") return { kind: "pointer", perApp: w.p === true, vary: Array.isArray(w.v) ? w.v : [] };
    if (w.k !== "a" || typeof w.s !== "number" || typeof w.b !== "string") return null;
    return {
      kind: "answer",
      status: w.s,
      headers: w.h ?? {},
      body: Buffer.from(w.b, "base64"),
      storedAt: w.t ?? 0,
      initialAgeSeconds: w.i ?? 0,
      ttlSeconds: w.l ?? 0,
      vary: w.v && !Array.isArray(w.v) ? w.v : {},
      path: typeof w.p === "string" ? w.p : "",
    };
  } catch {
    return null; // not ours, or cut: a miss
  }
}

/** Entries in the shared store, read with a short deadline (a slow store is a miss). */
export class SharedEntryStore implements EntryStore {
  constructor(
    private readonly store: Store,
    private readonly onFailure: (error: unknown) => void,
    private readonly timeoutMs = 250,
  ) {}

  async get(key: string): Promise<CacheRecord | null> {
    try {
      const text = await withDeadline(this.store.get(key), this.timeoutMs);
      return text === null ? null : decode(text);
    } catch (error) {
      this.onFailure(error);
      return null;
    }
  }

  set(key: string, record: CacheRecord, ttlMs: number): void {
    // not awaited: the caller's answer does not wait for the cache
    this.store.set(key, encode(record), Math.max(1, ttlMs)).catch((error: unknown) => this.onFailure(error));
  }

  /** The generation in the key makes a purged proxy's entries unreachable; they expire on their own. */
  dropPrefix(): void {}

  close(): void {}
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  promise.catch(() => {}); // a late rejection after the deadline must not go unhandled
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`response cache store: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
