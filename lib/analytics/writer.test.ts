import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPortal } from "../portal/test-context.ts";
import { databaseSink } from "./sink.ts";
import { AnalyticsWriter, type AnalyticsEventInput } from "./writer.ts";

const event = (i: number): AnalyticsEventInput => ({
  at: new Date(),
  requestId: `r${i}`,
  proxyId: "p",
  version: "v1",
  productId: null,
  appId: "app",
  developerId: "dev",
  userSub: null,
  method: "GET",
  path: "/gateway/x/v1/y",
  status: 200,
  latencyMs: 3,
  upstreamLatencyMs: 2,
  bytesIn: 0,
  bytesOut: 10,
  clientIp: "127.0.0.1",
  authenticated: true,
  authKind: "api-key",
  tls: false,
  bot: null,
  blockedBy: null,
});

describe("AnalyticsWriter", () => {
  let ctx: Awaited<ReturnType<typeof createTestPortal>>;
  beforeAll(async () => (ctx = await createTestPortal()));
  const sinkFor = () => databaseSink({ kind: "sqlite", file: ctx.file });
  afterAll(() => ctx.close());

  it("buffers events and writes them in batches; stop() flushes what is left", async () => {
    const writer = new AnalyticsWriter(await sinkFor(), pino({ level: "silent" }), { flushIntervalMs: 60_000, batchSize: 100 });
    writer.start();
    for (let i = 0; i < 250; i++) writer.record(event(i));
    await writer.flush();
    expect(await ctx.db.analyticsEvent.count()).toBe(250);
    writer.record(event(999));
    expect(writer.pending).toBe(1);
    await writer.stop();
    expect(await ctx.db.analyticsEvent.count()).toBe(251);
    const stored = await ctx.db.analyticsEvent.findFirst({ where: { requestId: "r999" } });
    expect(stored).toMatchObject({ appId: "app", status: 200, authenticated: true, tls: false, upstreamLatencyMs: 2, authKind: "api-key" });
    expect(stored!.at).toBeInstanceOf(Date);
  });

  it("keeps events while the database is away and drops the oldest past its bound", async () => {
    const failing = { write: async () => Promise.reject(new Error("database away")), close: async () => {} };
    const writer = new AnalyticsWriter(failing, pino({ level: "silent" }), { maxBuffered: 3, batchSize: 100 });
    for (let i = 0; i < 5; i++) writer.record(event(i));
    await writer.flush();
    expect(writer.pending).toBe(3);
    expect(writer.dropped).toBe(2);
  });

  it("a batch written while the bound drops events: the batch's own events leave the buffer, no others", async () => {
    const written: string[] = [];
    let release = () => {};
    const slow = {
      write: async (events: readonly AnalyticsEventInput[]) => {
        await new Promise<void>((resolve) => (release = resolve));
        written.push(...events.map((e) => e.requestId));
      },
      close: async () => {},
    };
    const writer = new AnalyticsWriter(slow, pino({ level: "silent" }), { maxBuffered: 3, batchSize: 2 });
    writer.record(event(0));
    writer.record(event(1)); // a full batch: written now, [r0, r1] in flight
    await new Promise((resolve) => setImmediate(resolve));
    writer.record(event(2));
    writer.record(event(3)); // past the bound: r0, in flight, leaves the buffer
    expect(writer.dropped).toBe(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(["r0", "r1"]);
    expect(writer.dropped).toBe(0); // r0 was written after all
    expect(writer.pending).toBe(2); // r2 and r3, not lost
    const flushed = writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await flushed;
    expect(written).toEqual(["r0", "r1", "r2", "r3"]);
  });
});
