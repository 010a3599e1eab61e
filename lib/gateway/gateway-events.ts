// Notification events the gateway produces (quota thresholds), written to the outbox off the
// call's path: a call only appends a notice to a bounded in-memory queue and never waits for the
// database. A timer (or a full batch) writes the queue a batch per transaction, with the app's
// and product's names looked up then. When the queue is full — the database away too long, or a
// flood — new notices are dropped and counted (gatehouse_notification_events_dropped_total):
// being told is worth less than answering calls. A notice still queued when the process dies is
// lost (at most once), like buffered analytics.
import type { Logger } from "pino";
import type { Database } from "../db/index.ts";
import type { Store } from "../store/types.ts";
import { appAudience, recordEvent } from "../notifications/outbox.ts";
import { recordNotificationEventDropped } from "../metrics/index.ts";

export interface QuotaThresholdNotice {
  appId: string;
  productId: string | null;
  proxy: { id: string; name: string; basePath: string; version: string };
  limit: number;
  percent: number;
  window: { type: "calendar" | "rolling"; seconds: number; start: number; end: number };
  /** Set when more than one call may propose the same notice (rolling windows): written only
   * by whoever counts this key to 1 in the shared store first. */
  claimKey?: string;
}

/** What the gateway's policies hand their events to (a service, like productQuota). */
export interface GatewayEvents {
  quotaThreshold(notice: QuotaThresholdNotice): void;
}

export interface GatewayEventEmitterOptions {
  /** Notices kept waiting at most; more are dropped. */
  maxQueued?: number;
  batchSize?: number;
  flushIntervalMs?: number;
}

const TYPE = "quota.threshold";

export class GatewayEventEmitter implements GatewayEvents {
  private queue: QuotaThresholdNotice[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastWarnAt = -Infinity;
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  /** Notices dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly deps: { db: Database; store: Store; log: Logger; now: () => number },
    options: GatewayEventEmitterOptions = {},
  ) {
    this.maxQueued = options.maxQueued ?? 1_000;
    this.batchSize = options.batchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 500;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Writes what is queued (one attempt), then stops. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Never blocks nor throws: appends, or drops when the queue is full. */
  quotaThreshold(notice: QuotaThresholdNotice): void {
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
      recordNotificationEventDropped(TYPE);
      return;
    }
    this.queue.push(notice);
    if (this.queue.length >= this.batchSize) void this.flush();
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Writes the queue a batch at a time; one writer at a time. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.batchSize);
        if (!(await this.write(batch))) {
          // back to the head of the queue, within the bound; the rest are dropped and counted
          const room = Math.max(0, this.maxQueued - this.queue.length);
          const kept = batch.slice(0, room);
          this.queue.unshift(...kept);
          if (batch.length > kept.length) {
            this.dropped += batch.length - kept.length;
            recordNotificationEventDropped(TYPE, batch.length - kept.length);
          }
          return;
        }
      }
    });
    return this.writing;
  }

  /** True when the batch is written (or needs no writing); false to try again later. */
  private async write(batch: QuotaThresholdNotice[]): Promise<boolean> {
    const { db, store } = this.deps;
    try {
      const owned: QuotaThresholdNotice[] = [];
      for (const notice of batch) {
        if (!notice.claimKey) owned.push(notice);
        else {
          const ttl = Math.max(1_000, notice.window.end - this.deps.now()) + notice.window.seconds * 1000;
          const { count } = await store.increment(notice.claimKey, 1, ttl);
          if (count === 1) owned.push({ ...notice, claimKey: undefined }); // claimed: not again on a retry
        }
      }
      batch.splice(0, batch.length, ...owned);
      if (!owned.length) return true;
      const appIds = [...new Set(owned.map((n) => n.appId))];
      const productIds = [...new Set(owned.flatMap((n) => (n.productId ? [n.productId] : [])))];
      const [apps, products] = await Promise.all([
        db.app.findMany({ where: { id: { in: appIds } }, select: { id: true, name: true, ownerId: true, teamId: true } }),
        productIds.length ? db.apiProduct.findMany({ where: { id: { in: productIds } }, select: { id: true, name: true, slug: true } }) : [],
      ]);
      await db.$transaction(async (tx) => {
        for (const notice of owned) {
          const app = apps.find((a) => a.id === notice.appId);
          if (!app) continue; // deleted meanwhile: nobody to tell
          const product = products.find((p) => p.id === notice.productId) ?? null;
          await recordEvent(tx, { type: TYPE, payload: quotaPayload(notice, app, product), ...appAudience(app) });
        }
      });
      return true;
    } catch (error) {
      const now = this.deps.now();
      if (now - this.lastWarnAt >= 60_000) {
        this.lastWarnAt = now;
        this.deps.log.warn({ err: error }, "quota notifications not written yet (kept queued within the bound)");
      }
      return false;
    }
  }
}

function quotaPayload(n: QuotaThresholdNotice, app: { id: string; name: string }, product: { id: string; name: string; slug: string } | null): Record<string, unknown> {
  return {
    appId: app.id,
    appName: app.name,
    productId: product?.id ?? n.productId,
    productName: product?.name ?? null,
    proxyId: n.proxy.id,
    proxyName: n.proxy.name,
    basePath: n.proxy.basePath,
    version: n.proxy.version,
    percent: n.percent,
    limit: n.limit,
    window: { type: n.window.type, seconds: n.window.seconds, start: new Date(n.window.start).toISOString(), end: new Date(n.window.end).toISOString() },
    link: `/apps/${app.id}/usage`,
  };
}

/** For gateways that tell nobody (unit tests). */
export const silentGatewayEvents: GatewayEvents = { quotaThreshold: () => {} };
