import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPortal } from "../portal/test-context.ts";
import { AnalyticsWriter, type AnalyticsEventInput } from "./writer.ts";

const event = (i: number): AnalyticsEventInput => ({
  at: new Date(), requestId: `r${i}`, proxyId: "p", version: "v1", productId: null, appId: "app", developerId: "dev", userSub: null, method: "GET", path: "/gateway/x/v1/y", status: 200,
  latencyMs: 3, upstreamLatencyMs: 2, bytesIn: 0, bytesOut: 10, clientIp: "127.0.0.1", authenticated: true, authKind: "api-key", tls: false, bot: null, blockedBy: null,
});

describe("AnalyticsWriter", () => {
  let ctx: Awaited<ReturnType<typeof createTestPortal>>;
  beforeAll(async () => (ctx = await createTestPortal()));
  afterAll(() => ctx.close());

  it("buffers events and writes them in batches; stop() flushes what is left", async () => {
    const writer = new AnalyticsWriter(ctx.db, pino({ level: "silent" }), { flushIntervalMs: 60_000, batchSize: 100 });
    writer.start();
    for (let i = 0; i < 250; i++) writer.record(event(i));
    await writer.flush();
    expect(await ctx.db.analyticsEvent.count()).toBe(250);
    writer.record(event(999));
    expect(writer.pending).toBe(1);
    await writer.stop();
    expect(await ctx.db.analyticsEvent.count()).toBe(251);
  });

  it("keeps events while the database is away and drops the oldest past its bound", async () => {
    const failing = { $executeRaw: async () => Promise.reject(new Error("database away")) } as never;
    const writer = new AnalyticsWriter(failing, pino({ level: "silent" }), { maxBuffered: 3, batchSize: 100 });
    for (let i = 0; i < 5; i++) writer.record(event(i));
    await writer.flush();
    expect(writer.pending).toBe(3);
    expect(writer.dropped).toBe(2);
  });
});
