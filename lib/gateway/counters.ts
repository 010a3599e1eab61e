// The gateway's counters (quota, spike arrest) in the shared store, with the declared failure
// behaviour (like Kong's fault-tolerant rate limiting): when the store fails or is slow, the
// call is counted in a per-instance memory store instead (fail open, but each instance still
// enforces the limit on its own traffic), the call is annotated `quotaDegraded`, a warning is
// logged once per interval, and the shared store is tried again after a short pause. One per
// gateway: what the store's health is, is known once for every policy that counts.
import type { Logger } from "pino";
import { MemoryStore } from "../store/memory-store.ts";
import type { CounterResult, Store } from "../store/types.ts";
import type { GatewayCall } from "./policy.ts";
import { recordCounterDegraded } from "../metrics/index.ts";
import type { MaybePromise } from "../runtime/maybe-async.ts";

export type Counted = CounterResult & { local: boolean };

export interface CounterOptions {
  /** Longest wait for the shared store before counting locally. */
  timeoutMs?: number;
  /** After a failure, count locally for this long before trying the shared store again. */
  retryAfterFailureMs?: number;
  /** At most one warning per this interval and instance. */
  warnEveryMs?: number;
}

export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
}

export class FaultTolerantCounters {
  private readonly local: MemoryStore;
  private storeSkippedUntil = 0;
  private lastWarnAt = -Infinity;
  private readonly timeoutMs: number;
  private readonly retryAfterFailureMs: number;
  private readonly warnEveryMs: number;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    options: CounterOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 500;
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? 1_000;
    this.warnEveryMs = options.warnEveryMs ?? 60_000;
    this.local = new MemoryStore(30_000, now);
  }

  /** Counts in the shared store, or locally when it fails and `failOpen` (else throws
   * StoreUnavailable). `owner` names the counting policy in metrics and the log. `local` says
   * where the call was counted, for undo(). When the shared store is this process's memory the
   * answer is synchronous (no microtask per call). */
  increment(call: GatewayCall, owner: string, key: string, by: number, windowMs: number, failOpen: boolean): MaybePromise<Counted> {
    const shared = this.sharedMemory();
    if (shared) {
      const counted = shared.incrementNow(key, by, windowMs) as Counted; // a fresh object: marked, not copied
      counted.local = false;
      return counted;
    }
    return this.run(call, owner, failOpen, async (store) => ({ ...(await store.increment(key, by, windowMs)), local: store === this.local }));
  }

  /** Takes back an increment where it was counted. If the shared store fails meanwhile the
   * undo is dropped, never applied locally: a local count below the truth would let more calls
   * through than the limit while the store is away. */
  undo(key: string, by: number, windowMs: number, counted: { local: boolean }): MaybePromise<void> {
    const store = counted.local ? this.local : this.store;
    if (store instanceof MemoryStore) {
      store.incrementNow(key, -by, windowMs);
      return;
    }
    return withTimeout(store.increment(key, -by, windowMs), this.timeoutMs).then(
      () => undefined,
      () => undefined,
    );
  }

  /** A counter's current value (0 when missing); synchronous like increment() on memory. */
  value(call: GatewayCall, owner: string, key: string, failOpen: boolean): MaybePromise<number> {
    const shared = this.sharedMemory();
    if (shared) return shared.countNow(key);
    return this.run(call, owner, failOpen, async (store) => Number((await store.get(key)) ?? 0) || 0);
  }

  async close(): Promise<void> {
    await this.local.close();
  }

  /** The shared store when it is this process's memory (answers at once, never fails). */
  private sharedMemory(): MemoryStore | null {
    return this.store instanceof MemoryStore && this.now() >= this.storeSkippedUntil ? this.store : null;
  }

  private async run<T>(call: GatewayCall, owner: string, failOpen: boolean, op: (store: Store) => Promise<T>): Promise<T> {
    if (this.now() >= this.storeSkippedUntil) {
      try {
        const store = this.store;
        return await (store.kind === "memory" ? op(store) : withTimeout(op(store), this.timeoutMs));
      } catch (error) {
        this.storeSkippedUntil = this.now() + this.retryAfterFailureMs;
        this.warn(call.log, owner, error);
      }
    }
    if (!failOpen) throw new StoreUnavailable("the counter store is unavailable");
    call.annotations.quotaDegraded = true;
    recordCounterDegraded(owner);
    return op(this.local);
  }

  private warn(log: Logger, owner: string, error: unknown): void {
    const now = this.now();
    if (now - this.lastWarnAt < this.warnEveryMs) return;
    this.lastWarnAt = now;
    log.warn({ err: error, policy: owner }, "counter store unavailable: counting per instance (fail open)");
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailable(`no answer within ${ms} ms`)), ms);
  });
  promise.catch(() => {}); // a late rejection after the timeout must not go unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
