// The store shared by several instances. Keys and channels carry a prefix so that several
// deployments (or test runs) can share one Redis. Commands fail fast instead of queueing
// forever while Redis is away; callers decide whether to fail open or closed.
import { Redis } from "ioredis";
import type { CounterResult, MessageHandler, Store } from "./types.ts";
import { recordStoreFailure } from "../metrics/index.ts";

/** Counts a failed command (gatehouse_store_failures_total) and passes the error on. */
const failed =
  (operation: string) =>
  (error: unknown): never => {
    recordStoreFailure(operation);
    throw error;
  };

// INCRBY and the window's TTL in one step; re-arms a TTL that went missing.
const INCREMENT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {count, ttl}`;

// HINCRBY per field, the window's TTL armed on the first change, and the whole hash back.
const INCREMENT_FIELDS = `
for i = 2, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return redis.call('HGETALL', KEYS[1])`;

// A HyperLogLog (12 KB at most, whatever the number of members) with the window's TTL.
const ADD_DISTINCT = `
redis.call('PFADD', KEYS[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return redis.call('PFCOUNT', KEYS[1])`;

type RedisWithIncrement = Redis & {
  gatehouseIncrement(key: string, by: number, windowMs: number): Promise<[number, number]>;
  gatehouseIncrementFields(key: string, windowMs: number, ...fieldsAndDeltas: (string | number)[]): Promise<string[]>;
  gatehouseAddDistinct(key: string, windowMs: number, member: string): Promise<number>;
};

export class RedisStore implements Store {
  readonly kind = "redis" as const;
  private readonly redis: RedisWithIncrement;
  private subscriber: Redis | null = null;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly missedHandlers = new Set<() => void>();
  /** Messages whose PUBLISH failed (Redis away, paused, timed out), published again in order
   * once Redis answers: another instance must still hear of a revocation made during an
   * outage (pub/sub keeps nothing for late listeners). Bounded; the oldest go first. */
  private readonly outbox: Array<{ channel: string; message: string }> = [];
  private outboxTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  static readonly OUTBOX_MAX = 10_000;
  static readonly OUTBOX_RETRY_MS = 250;
  /** The subscription is checked this often (PING on the subscribed connection). */
  static readonly HEARTBEAT_MS = 1_000;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, RedisStore.options(prefix)) as RedisWithIncrement;
    this.redis.defineCommand("gatehouseIncrement", { numberOfKeys: 1, lua: INCREMENT });
    this.redis.defineCommand("gatehouseIncrementFields", { numberOfKeys: 1, lua: INCREMENT_FIELDS });
    this.redis.defineCommand("gatehouseAddDistinct", { numberOfKeys: 1, lua: ADD_DISTINCT });
    this.redis.on("error", () => {}); // reported through ping() and failing commands
  }

  private static options(prefix?: string) {
    return {
      keyPrefix: prefix,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
      enableOfflineQueue: true,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    };
  }

  async increment(key: string, by: number, windowMs: number): Promise<CounterResult> {
    const [count, ttl] = await this.redis.gatehouseIncrement(key, by, windowMs).catch(failed("increment"));
    return { count: Number(count), resetMs: Number(ttl) };
  }

  async incrementFields(key: string, deltas: Readonly<Record<string, number>>, windowMs: number): Promise<Record<string, number>> {
    const args = Object.entries(deltas).flatMap(([field, by]) => [field, Math.trunc(by)]);
    const flat = await this.redis.gatehouseIncrementFields(key, windowMs, ...args).catch(failed("incrementFields"));
    const fields: Record<string, number> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = Number(flat[i + 1]);
    return fields;
  }

  async addDistinct(key: string, member: string, windowMs: number): Promise<number> {
    return Number(await this.redis.gatehouseAddDistinct(key, windowMs, member).catch(failed("addDistinct")));
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(key).catch(failed("get"));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(key, value).catch(failed("set"));
    else await this.redis.set(key, value, "PX", Math.max(1, Math.ceil(ttlMs))).catch(failed("set"));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key).catch(failed("delete"));
  }

  async publish(channel: string, message: string): Promise<void> {
    if (this.outbox.length) {
      // keep the order: older messages that failed go first
      this.keepForLater(channel, message);
      throw new Error("Redis publish deferred: earlier messages are waiting for Redis");
    }
    try {
      await this.redis.publish(this.prefix + channel, message);
    } catch (error) {
      recordStoreFailure("publish");
      this.keepForLater(channel, message);
      throw error;
    }
  }

  private keepForLater(channel: string, message: string): void {
    this.outbox.push({ channel, message });
    if (this.outbox.length > RedisStore.OUTBOX_MAX) this.outbox.shift();
    this.outboxTimer ??= setInterval(() => void this.retryOutbox(), RedisStore.OUTBOX_RETRY_MS).unref();
  }

  private retrying = false;
  private async retryOutbox(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      while (this.outbox.length) {
        const { channel, message } = this.outbox[0]!;
        await this.redis.publish(this.prefix + channel, message); // a duplicate is harmless: messages only clear caches
        this.outbox.shift();
      }
      clearInterval(this.outboxTimer!);
      this.outboxTimer = null;
    } catch {
      recordStoreFailure("publish"); // still away: the next tick tries again
    } finally {
      this.retrying = false;
    }
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const subscriber = this.subscriberConnection();
    const name = this.prefix + channel;
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
      // While Redis is away this times out; the 'ready' handler subscribes again on reconnect,
      // so a process can start (not ready) without Redis and catch up when it returns.
      await subscriber.subscribe(name).catch(() => recordStoreFailure("subscribe"));
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(name) === set) {
        this.handlers.delete(name);
        await subscriber.unsubscribe(name).catch(() => {});
      }
    };
  }

  async ping(): Promise<void> {
    await this.redis.ping().catch(failed("ping"));
  }

  async close(): Promise<void> {
    if (this.outboxTimer) clearInterval(this.outboxTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.outboxTimer = this.heartbeat = null;
    await Promise.allSettled([this.redis.quit(), this.subscriber?.quit()]);
    this.redis.disconnect();
    this.subscriber?.disconnect();
  }

  onMessagesMissed(handler: () => void): () => void {
    this.missedHandlers.add(handler);
    this.subscriberConnection();
    return () => void this.missedHandlers.delete(handler);
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      // A subscribed connection can do nothing else, hence a second one; ioredis
      // re-subscribes its channels after a reconnect.
      const subscriber = new Redis(this.url, { ...RedisStore.options(), maxRetriesPerRequest: null });
      subscriber.on("error", () => {});
      let connectedBefore = false;
      subscriber.on("ready", () => {
        const channels = [...this.handlers.keys()];
        if (channels.length) subscriber.subscribe(...channels).catch(() => undefined);
        // back after an outage: what was published meanwhile never arrived here
        if (connectedBefore) for (const handler of this.missedHandlers) handler();
        connectedBefore = true;
      });
      // A paused Redis, or a link that silently stopped carrying bytes (a dropped NAT/firewall
      // state, a hung peer), keeps the TCP connection open, so no reconnect (and no 'ready')
      // tells this instance that messages may have been lost. A PING that fails or times out
      // (commandTimeout) marks the subscription suspect and drops the connection: ioredis
      // connects again and re-subscribes, and the 'ready' that follows — or the next PING
      // that succeeds — makes caches start over.
      let suspect = false;
      let pinging = false;
      this.heartbeat = setInterval(() => {
        if (pinging || subscriber.status !== "ready") return;
        pinging = true;
        subscriber
          .ping()
          .then(() => {
            if (suspect) for (const handler of this.missedHandlers) handler();
            suspect = false;
          })
          .catch(() => {
            suspect = true;
            recordStoreFailure("ping");
            // a reply that never came leaves the connection's replies out of step: start afresh
            if (subscriber.status === "ready") subscriber.disconnect(true);
          })
          .finally(() => (pinging = false));
      }, RedisStore.HEARTBEAT_MS).unref();
      subscriber.on("message", (channel: string, message: string) => {
        for (const handler of this.handlers.get(channel) ?? []) {
          try {
            handler(message);
          } catch {
            // one subscriber's failure must not stop the others
          }
        }
      });
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }
}
