import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import type { Database } from "../db/index.ts";
import { MemoryStore } from "../store/memory-store.ts";
import { metricsJson } from "../metrics/index.ts";
import { GatewayEventEmitter, type QuotaThresholdNotice } from "./gateway-events.ts";

const silent = pino({ level: "silent" });
const stores: MemoryStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

interface Written {
  type: string;
  payload: string;
  developerId: string | null;
  teamId: string | null;
}

/** A database with two apps (one a team's) and a product; `failing` makes writes fail. */
function fakeDb() {
  const state = { written: [] as Written[], transactions: 0, failing: false };
  const db = {
    app: {
      findMany: async ({ where }: { where: { id: { in: string[] } } }) =>
        [
          { id: "app-1", name: "Shop", ownerId: "dev-1", teamId: null },
          { id: "app-2", name: "Team shop", ownerId: "dev-2", teamId: "team-1" },
        ].filter((a) => where.id.in.includes(a.id)),
    },
    apiProduct: { findMany: async () => [{ id: "prod-1", name: "Orders", slug: "orders" }] },
    outboxEvent: { create: async ({ data }: { data: Written }) => void state.written.push(data) },
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => {
      if (state.failing) throw new Error("database away");
      state.transactions++;
      return fn(db);
    },
  };
  return { db: db as unknown as Database, state };
}

const notice = (over: Partial<QuotaThresholdNotice> = {}): QuotaThresholdNotice => ({
  appId: "app-1",
  productId: "prod-1",
  proxy: { id: "px-1", name: "Orders API", basePath: "orders", version: "v1" },
  limit: 10,
  percent: 80,
  window: { type: "calendar", seconds: 60, start: Date.UTC(2026, 10, 28, 10), end: Date.UTC(2026, 10, 28, 10, 1) },
  ...over,
});

function emitter(options: { maxQueued?: number; batchSize?: number } = {}) {
  const { db, state } = fakeDb();
  const store = new MemoryStore();
  stores.push(store);
  const events = new GatewayEventEmitter({ db, store, log: silent, now: () => Date.UTC(2026, 10, 28, 10, 0, 30) }, { flushIntervalMs: 60_000, ...options });
  return { events, state, store };
}

const dropped = async () => {
  const metric = (await metricsJson()).find((m) => m.name === "gatehouse_notification_events_dropped_total");
  return (metric?.values ?? []).reduce((sum, v) => sum + Number(v.value), 0);
};

describe("gateway event emitter", () => {
  it("writes queued notices a batch per transaction, to the app's developer or team, with names", async () => {
    const { events, state } = emitter({ batchSize: 10 });
    events.quotaThreshold(notice());
    events.quotaThreshold(notice({ appId: "app-2", percent: 100 }));
    events.quotaThreshold(notice({ appId: "gone" }));
    expect(state.written).toEqual([]); // nothing waits for the database on the call's path
    await events.flush();
    expect(state.transactions).toBe(1);
    expect(state.written.map((w) => [w.type, w.developerId, w.teamId])).toEqual([
      ["quota.threshold", "dev-1", null],
      ["quota.threshold", null, "team-1"],
    ]);
    expect(JSON.parse(state.written[0]!.payload)).toEqual({
      appId: "app-1",
      appName: "Shop",
      productId: "prod-1",
      productName: "Orders",
      proxyId: "px-1",
      proxyName: "Orders API",
      basePath: "orders",
      version: "v1",
      percent: 80,
      limit: 10,
      window: { type: "calendar", seconds: 60, start: "2026-11-28T10:00:00.000Z", end: "2026-11-28T10:01:00.000Z" },
      link: "/apps/app-1/usage",
    });
  });

  it("is bounded: past maxQueued, notices are dropped and counted, never waited for", async () => {
    const { events, state } = emitter({ maxQueued: 3, batchSize: 100 });
    const before = await dropped();
    for (let i = 0; i < 5; i++) events.quotaThreshold(notice());
    expect(events.queued).toBe(3);
    expect(events.dropped).toBe(2);
    expect((await dropped()) - before).toBe(2);
    await events.flush();
    expect(state.written).toHaveLength(3);
  });

  it("keeps notices queued (within the bound) while the database fails, and writes them once it is back", async () => {
    const { events, state } = emitter({ maxQueued: 5, batchSize: 100 });
    state.failing = true;
    events.quotaThreshold(notice());
    events.quotaThreshold(notice({ percent: 100 }));
    await events.flush();
    expect(events.queued).toBe(2);
    state.failing = false;
    await events.flush();
    expect(state.written).toHaveLength(2);
    expect(events.queued).toBe(0);
  });

  it("a notice with a claim key is written only by the first claimer, on any instance", async () => {
    const { db, state } = fakeDb();
    const store = new MemoryStore();
    stores.push(store);
    const now = () => Date.UTC(2026, 10, 28, 10, 0, 30);
    const [a, b] = [0, 1].map(() => new GatewayEventEmitter({ db, store, log: silent, now }, { flushIntervalMs: 60_000 }));
    const rolling = notice({ window: { type: "rolling", seconds: 60, start: Date.UTC(2026, 10, 28, 10), end: Date.UTC(2026, 10, 28, 10, 1) }, claimKey: "quota-notice:k:80" });
    a!.quotaThreshold(rolling);
    b!.quotaThreshold(rolling);
    a!.quotaThreshold(rolling);
    await Promise.all([a!.flush(), b!.flush()]);
    expect(state.written).toHaveLength(1);
  });
});
