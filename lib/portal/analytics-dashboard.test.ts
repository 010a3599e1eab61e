import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTemporaryDatabase } from "../../e2e/harness/backends.ts";
import type { DatabaseTarget } from "../config/index.ts";
import { createDatabaseClient } from "../db/client.ts";
import { migrateDatabase } from "../db/migrations/index.ts";
import { createApp } from "./apps.ts";
import type { Actor, PortalContext } from "./context.ts";
import { PortalError } from "./errors.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";
import { MemoryStore } from "../store/memory-store.ts";
import { analyticsCsv, analyticsDashboard } from "./analytics.ts";
import { bucketFor, percentilesOf } from "../analytics/dashboard-queries.ts";
import { rebuildRollups } from "../analytics/rollup-rebuild.ts";
import { databaseSink } from "../analytics/sink.ts";
import type { AnalyticsEventInput } from "../analytics/writer.ts";

// Seeded with a known distribution through the gateway's own sink (and a few rows through
// Prisma, whose SQLite timestamps end in "+00:00" rather than "Z"); expectations are computed
// here from the seed with plain array code, independently of the SQL.
const postgresUrl = process.env.TEST_DATABASE_URL;
const FROM = new Date("2026-03-10T00:00:00.000Z");
const TO = new Date("2026-03-11T00:00:00.000Z");

type Ctx = PortalContext & { close: () => Promise<void>; target: DatabaseTarget };

async function portal(backend: string): Promise<Ctx> {
  if (backend === "sqlite") {
    const ctx = await createTestPortal();
    return { ...ctx, target: { kind: "sqlite", file: ctx.file } };
  }
  const database = await createTemporaryDatabase(postgresUrl!, `gatehouse_dash_${randomBytes(4).toString("hex")}`);
  const target = { kind: "postgres", url: database.url } as const;
  await migrateDatabase(target);
  const db = createDatabaseClient(target);
  const store = new MemoryStore();
  return {
    db,
    store,
    target,
    adminGroup: "gatehouse-admins",
    close: async () => {
      await db.$disconnect();
      await store.close();
      await database.drop();
    },
  };
}

/** percentile_cont by sorting, the textbook way. */
function cont(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = p * (s.length - 1);
  const lo = Math.floor(rank);
  return Math.round((s[lo]! + (rank - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!)) * 100) / 100;
}

/** A rollup estimate: each rank's value lies in its histogram bucket (exact below 10 ms, else at most a third of the value wide). */
function near(estimate: number | null, exact: number): boolean {
  return estimate !== null && Math.abs(estimate - exact) <= exact / 3 + 0.02;
}
function expectNear(got: { p50: number | null; p95: number | null; p99: number | null }, want: { p50: number; p95: number; p99: number }) {
  for (const k of ["p50", "p95", "p99"] as const) expect(near(got[k], want[k]), `${k}: ${got[k]} vs exact ${want[k]}`).toBe(true);
}

describe("bucket choice and percentiles", () => {
  it("picks minute / hour / day buckets from the range", () => {
    const h = (n: number) => new Date(FROM.getTime() + n * 3_600_000);
    expect([bucketFor(FROM, h(1)), bucketFor(FROM, h(24)), bucketFor(FROM, h(24 * 7)), bucketFor(FROM, h(24 * 30))]).toEqual(["minute", "hour", "day", "day"]);
  });
  it("interpolates like percentile_cont from a histogram", () => {
    const values = [1, 1, 2, 3, 3, 3, 10, 50, 51, 99];
    const histogram = new Map<number, number>();
    for (const v of values) histogram.set(v, (histogram.get(v) ?? 0) + 1);
    expect(percentilesOf(histogram)).toEqual({ p50: cont(values, 0.5), p95: cont(values, 0.95), p99: cont(values, 0.99) });
    expect(percentilesOf(new Map())).toEqual({ p50: null, p95: null, p99: null });
  });
});

describe.each([["sqlite"], ...(postgresUrl ? [["postgres"]] : [])])("dashboard queries on %s", (backend) => {
  let ctx: Ctx;
  let alice: Actor & { type: "developer" };
  let bob: Actor & { type: "developer" };
  let carol: Actor & { type: "developer" };
  let admin: Actor & { type: "developer" };
  let events: AnalyticsEventInput[];
  let aliceApp: string;
  let plainProxy: string;
  const range = { from: FROM.toISOString(), to: TO.toISOString() };

  beforeAll(async () => {
    ctx = await portal(backend);
    alice = await createDeveloper(ctx, "alice@example.com");
    bob = await createDeveloper(ctx, "bob@example.com");
    carol = await createDeveloper(ctx, "carol@example.com");
    admin = await createDeveloper(ctx, "admin@example.com", "admin");
    aliceApp = (await createApp(ctx, alice, { name: "alice-app" })).app.id;
    const bobApp = (await createApp(ctx, bob, { name: "bob-app" })).app.id;
    plainProxy = (await ctx.db.apiProxy.create({ data: { name: "legacy", basePath: "legacy", targetUrl: "http://legacy.example.com:8080/api" } })).id;
    const tlsProxy = (await ctx.db.apiProxy.create({ data: { name: "orders", basePath: "orders", targetUrl: "https://orders.example.com" } })).id;
    events = [];
    // 360 events, one every 4 minutes from FROM: app by i % 3, status by i % 10, latency 1..97.
    for (let i = 0; i < 360; i++) {
      const mine = i % 3 !== 2;
      events.push({
        at: new Date(FROM.getTime() + i * 240_000),
        requestId: `r${i}`,
        proxyId: i % 2 ? plainProxy : tlsProxy,
        version: "v1",
        productId: null,
        appId: mine ? aliceApp : bobApp,
        developerId: mine ? alice.developerId : bob.developerId,
        userSub: null,
        method: "GET",
        path: `/x/${i}`,
        status: i % 10 === 0 ? 500 : i % 10 === 1 ? 404 : i % 10 === 2 ? 429 : 200,
        latencyMs: ((i * 7) % 97) + 1,
        upstreamLatencyMs: null,
        bytesIn: 0,
        bytesOut: 10,
        clientIp: "203.0.113.9",
        authenticated: i % 4 !== 0,
        authKind: null,
        tls: i % 5 !== 0,
        bot: i % 6 === 0 ? "Flooder" : null,
        blockedBy: i % 10 === 2 ? "spike-arrest" : i % 10 === 1 && i % 20 === 1 ? "ip-filter" : null,
      } as AnalyticsEventInput);
    }
    const sink = await databaseSink(ctx.target);
    await sink.write(events);
    await sink.close();
    // Boundaries through Prisma: exactly `from` is in, exactly `to` and 1 ms before `from` are out.
    const edge = (at: string) => ({
      requestId: `edge-${at}`,
      appId: aliceApp,
      developerId: alice.developerId,
      proxyId: tlsProxy,
      method: "GET",
      path: "/edge",
      status: 200,
      latencyMs: 5,
      at: new Date(at),
      tls: true,
      authenticated: true,
    });
    await ctx.db.analyticsEvent.createMany({ data: [edge("2026-03-09T23:59:59.999Z"), edge("2026-03-11T00:00:00.000Z"), edge("2026-03-10T23:59:59.999Z")] });
    // Those bypassed the writer, so the hourly rollups do not know them yet: the documented repair.
    await rebuildRollups(ctx.target, { from: new Date("2026-03-09T23:00:00Z"), to: new Date("2026-03-11T01:00:00Z") });
    events.push({
      ...events[0]!,
      at: new Date("2026-03-10T23:59:59.999Z"),
      appId: aliceApp,
      developerId: alice.developerId,
      proxyId: tlsProxy,
      status: 200,
      latencyMs: 5,
      tls: true,
      authenticated: true,
      bot: null,
      blockedBy: null,
    });
  });
  afterAll(() => ctx.close());

  function expected(list: AnalyticsEventInput[]) {
    const count = (f: (e: AnalyticsEventInput) => boolean) => list.filter(f).length;
    return {
      calls: list.length,
      clientErrors: count((e) => e.status >= 400 && e.status < 500),
      serverErrors: count((e) => e.status >= 500),
      blocked: count((e) => e.blockedBy !== null),
      latency: {
        p50: cont(
          list.map((e) => e.latencyMs),
          0.5,
        ),
        p95: cont(
          list.map((e) => e.latencyMs),
          0.95,
        ),
        p99: cont(
          list.map((e) => e.latencyMs),
          0.99,
        ),
      },
      bot: count((e) => e.bot !== null),
      tls: count((e) => e.tls),
      authenticated: count((e) => e.authenticated),
    };
  }

  it("admin: totals, hourly buckets, boundaries, percentiles, errors, blocks and security in the database", async () => {
    const d = await analyticsDashboard(ctx, admin, range);
    const want = expected(events);
    expect(d.bucket).toBe("hour");
    expect(d.traffic).toHaveLength(24);
    expect(d.traffic[0]!.t).toBe("2026-03-10T00:00:00.000Z");
    expect(d.totals).toEqual({ calls: 361, clientErrors: want.clientErrors, serverErrors: want.serverErrors, blocked: want.blocked });
    expect(d.traffic[0]!.calls).toBe(15); // 0:00 … 0:56, every 4 minutes
    expect(d.traffic[23]!.calls).toBe(16); // the 15 of the last hour and the event 1 ms before `to`
    // Whole hours come from the rollup: percentiles estimated from its histogram, within one bucket.
    expectNear(d.latency.overall, want.latency);
    const firstHour = events.filter((e) => e.at < new Date("2026-03-10T01:00:00Z")).map((e) => e.latencyMs);
    expect(d.latency.series[0]!.t).toBe("2026-03-10T00:00:00.000Z");
    expectNear(d.latency.series[0]!, { p50: cont(firstHour, 0.5), p95: cont(firstHour, 0.95), p99: cont(firstHour, 0.99) });
    expect(d.errorsByStatus).toEqual([
      { status: 404, class: "4xx", calls: 36 },
      { status: 429, class: "4xx", calls: 36 },
      { status: 500, class: "5xx", calls: 36 },
    ]);
    expect(d.blocks).toEqual([
      { policy: "spike-arrest", calls: 36 },
      { policy: "ip-filter", calls: 18 },
    ]);
    expect(d.security.overall).toEqual({
      calls: 361,
      bot: want.bot,
      human: 361 - want.bot,
      tls: want.tls,
      plain: 361 - want.tls,
      authenticated: want.authenticated,
      anonymous: 361 - want.authenticated,
    });
    const legacy = d.security.byProxy.find((p) => p.proxyId === plainProxy)!;
    expect(legacy).toMatchObject({ name: "legacy v1", calls: 180, tls: events.filter((e) => e.proxyId === plainProxy && e.tls).length });
    expect(d.insecureBackends).toEqual([{ proxyId: plainProxy, name: "legacy v1", target: "http://legacy.example.com:8080", calls: 180 }]);
    expect(d.top.apps.map((a) => [a.name, a.calls])).toEqual([
      ["alice-app", 241],
      ["bob-app", 120],
    ]);
    expect(d.top.developers.map((a) => [a.name, a.calls])).toEqual([
      ["alice@example.com", 241],
      ["bob@example.com", 120],
    ]);
  });

  it("developer: only events of their own apps, whatever filter they pass", async () => {
    const mine = events.filter((e) => e.appId === aliceApp);
    const want = expected(mine);
    const d = await analyticsDashboard(ctx, alice, range);
    expect(d.scope).toBe("developer");
    expect(d.totals).toEqual({ calls: 241, clientErrors: want.clientErrors, serverErrors: want.serverErrors, blocked: want.blocked });
    expectNear(d.latency.overall, want.latency);
    // Blocked calls and why, for their own apps only.
    const blockedMine = (policy: string) => mine.filter((e) => e.blockedBy === policy).length;
    expect(d.blocks).toEqual(
      [
        { policy: "spike-arrest", calls: blockedMine("spike-arrest") },
        { policy: "ip-filter", calls: blockedMine("ip-filter") },
      ].sort((a, b) => b.calls - a.calls),
    );
    expect(d.top.apps.map((a) => a.name)).toEqual(["alice-app"]);
    expect(d.top.developers).toEqual([]);
    expect(d.security.overall.bot).toBe(want.bot);
    const bobsApp = events.find((e) => e.appId !== aliceApp)!.appId!;
    expect((await analyticsDashboard(ctx, alice, { ...range, appId: bobsApp })).totals.calls).toBe(0);
    expect((await analyticsDashboard(ctx, carol, range)).totals.calls).toBe(0);
    expect((await analyticsDashboard(ctx, admin, { ...range, view: "mine" })).totals.calls).toBe(0);
    expect((await analyticsDashboard(ctx, admin, { ...range, proxyId: plainProxy })).totals.calls).toBe(180);
  });

  it("minute buckets for the last hour, day buckets for a month", async () => {
    const hour = await analyticsDashboard(ctx, admin, { from: "2026-03-10T10:00:00Z", to: "2026-03-10T11:00:00Z" });
    expect(hour.bucket).toBe("minute");
    expect(hour.traffic).toHaveLength(60);
    expect(hour.traffic.filter((p) => p.calls === 1)).toHaveLength(15);
    // Raw events only: exact percentiles.
    const inHour = events.filter((e) => e.at >= new Date("2026-03-10T10:00:00Z") && e.at < new Date("2026-03-10T11:00:00Z")).map((e) => e.latencyMs);
    expect(hour.latency.overall).toEqual({ p50: cont(inHour, 0.5), p95: cont(inHour, 0.95), p99: cont(inHour, 0.99) });
    const month = await analyticsDashboard(ctx, admin, { from: "2026-02-20T00:00:00Z", to: "2026-03-20T00:00:00Z" });
    expect(month.bucket).toBe("day");
    expect(month.traffic.find((p) => p.t === "2026-03-10T00:00:00.000Z")!.calls).toBe(361);
    expect(month.traffic.find((p) => p.t === "2026-03-11T00:00:00.000Z")!.calls).toBe(1);
    expect(month.traffic.find((p) => p.t === "2026-03-09T00:00:00.000Z")!.calls).toBe(1);
  });

  it("refuses a bad range", async () => {
    for (const q of [
      {},
      { from: range.to, to: range.from },
      { from: "yesterday", to: range.to },
      { from: "2026-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z" },
      { ...range, extra: "1" },
    ]) {
      await expect(analyticsDashboard(ctx, admin, q)).rejects.toMatchObject({ code: "invalid" } satisfies Partial<PortalError>);
    }
  });

  it("exports the same aggregates as CSV", async () => {
    const text = await analyticsCsv(ctx, alice, range);
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("section,key,metric,value");
    expect(lines).toContain("traffic,2026-03-10T00:00:00.000Z,calls,10");
    expect(lines).toContain("top-apps,alice-app,calls,241");
    expect(text).not.toContain("bob-app");
  });
});
