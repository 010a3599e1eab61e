import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTemporaryDatabase } from "../../e2e/harness/backends.ts";
import type { DatabaseTarget } from "../config/index.ts";
import { createDatabaseClient } from "../db/client.ts";
import type { Database } from "../db/index.ts";
import { migrationsDir } from "../db/migrations/index.ts";
import { postgresMigrationTarget } from "../db/migrations/postgres-target.ts";
import { readMigrationFiles, runMigrations } from "../db/migrations/runner.ts";
import { sqliteMigrationTarget } from "../db/migrations/sqlite-target.ts";
import { dashboard, type Dashboard, type DashboardFilter } from "./dashboard-queries.ts";
import { aggregate, backfillSql, bucketRange, HISTOGRAM_COLUMNS, LATENCY_BOUNDS, latencyBucket, MEASURES, percentilesFromHistogram, ROLLUPS, type RollupTable } from "./rollup.ts";
import { rebuildRollups } from "./rollup-rebuild.ts";
import { encodeEvents } from "./event-batch.ts";
import { databaseSink, insertSqliteEvents, POSTGRES_INSERT, postgresEventParams, SQLITE_INSERT } from "./sink.ts";
import { migratedTestDatabase } from "./test-events.ts";
import type { AnalyticsEventInput } from "./writer.ts";

const postgresUrl = process.env.TEST_DATABASE_URL;
const START = Date.UTC(2026, 2, 10, 0, 0, 0);
const HOUR = 3_600_000;

/** A deterministic mix over 30 hours: several proxies, apps (one without), statuses, policies, flags and latencies. */
function events(count: number, seed: number): AnalyticsEventInput[] {
  let x = seed;
  const rnd = (k: number) => ((x = (x * 1_103_515_245 + 12_345) % 2_147_483_648), x % k);
  return Array.from({ length: count }, (_, i) => {
    const app = rnd(5);
    const status = [200, 200, 200, 201, 404, 429, 500, 403][rnd(8)]!;
    return {
      at: new Date(START + rnd(30 * HOUR)),
      requestId: `r${seed}-${i}`,
      proxyId: rnd(10) === 0 ? null : `px${rnd(3)}`,
      version: "v1",
      productId: null,
      appId: app === 4 ? null : `app${app}`,
      developerId: app === 4 ? null : `dev${app % 2}`,
      userSub: null,
      method: "GET",
      path: "/x",
      status,
      latencyMs: [0, 3, 9, 10, 11, 57, 99, 100, 480, 2_000, 61_000][rnd(11)]! + rnd(3),
      upstreamLatencyMs: null,
      bytesIn: rnd(100),
      bytesOut: rnd(5_000),
      clientIp: null,
      authenticated: rnd(3) !== 0,
      authKind: null,
      tls: rnd(4) !== 0,
      bot: rnd(7) === 0 ? "Flooder" : null,
      blockedBy: status === 429 ? "spike-arrest" : status === 403 ? "ip-filter" : null,
    };
  });
}

/** A rollup table's rows as comparable plain objects, sorted by key. */
async function tableRows(db: Database, spec: RollupTable): Promise<Record<string, number | string>[]> {
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${spec.table}"`);
  const keys = ["hour", ...spec.dims];
  return rows
    .map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === "string" && !keys.includes(k) ? Number(v) : typeof v === "bigint" ? Number(v) : (v as number | string)]),
      ),
    )
    .sort((a, b) => (JSON.stringify(keys.map((k) => a[k])) < JSON.stringify(keys.map((k) => b[k])) ? -1 : 1));
}

/** What the table should hold for these events, computed in JS (the writer's own aggregation). */
function expectedRows(list: AnalyticsEventInput[], spec: RollupTable) {
  const keys = ["hour", ...spec.dims];
  return aggregate(list, spec)
    .map(({ h, ...r }) => ({ ...r, ...(h ? Object.fromEntries(h.map((c, i) => [HISTOGRAM_COLUMNS[i]!, c])) : {}) }))
    .sort((a, b) => (JSON.stringify(keys.map((k) => (a as Record<string, unknown>)[k])) < JSON.stringify(keys.map((k) => (b as Record<string, unknown>)[k])) ? -1 : 1));
}

describe("latency histogram", () => {
  it("puts every latency in the bucket whose bounds hold it", () => {
    for (const ms of [0, 1, 9, 10, 11, 12, 99, 100, 101, 59_999, 60_000, 3_600_000]) {
      const [lo, hi] = bucketRange(latencyBucket(ms));
      expect(ms >= lo && ms < hi).toBe(true);
    }
    expect(HISTOGRAM_COLUMNS).toHaveLength(LATENCY_BOUNDS.length + 1);
  });
  it("estimates percentiles exactly below 10 ms and within a bucket above", () => {
    const h = new Array<number>(HISTOGRAM_COLUMNS.length).fill(0);
    for (const v of [1, 2, 2, 3, 9]) h[latencyBucket(v)]!++;
    expect(percentilesFromHistogram(h, 9)).toEqual({ p50: 2, p95: 7.8, p99: 8.76 }); // percentile_cont of 1,2,2,3,9
    const wide = new Array<number>(HISTOGRAM_COLUMNS.length).fill(0);
    wide[latencyBucket(130)] = 100;
    const p = percentilesFromHistogram(wide, 149);
    for (const v of [p.p50!, p.p95!, p.p99!]) expect(v >= 120 && v <= 149).toBe(true);
    expect(percentilesFromHistogram(new Array<number>(HISTOGRAM_COLUMNS.length).fill(0), 0)).toEqual({ p50: null, p95: null, p99: null });
  });
  it("migration 0008 backfills with the SQL the rebuild uses", () => {
    for (const kind of ["sqlite", "postgres"] as const) {
      const sql = readFileSync(join(migrationsDir(kind), "0008_analytics_rollup", "migration.sql"), "utf8");
      for (const spec of Object.values(ROLLUPS)) expect(sql).toContain(backfillSql(spec, kind, false));
    }
  });
});

describe.each([["sqlite"], ...(postgresUrl ? [["postgres"]] : [])])("hourly rollups on %s", (backend) => {
  let target: DatabaseTarget;
  let db: Database;
  let close: () => Promise<void>;
  const first = events(3_000, 7);
  const second = events(3_000, 11);
  const all = [...first, ...second];

  beforeAll(async () => {
    ({ target, db, close } = await migratedTestDatabase(backend as "sqlite" | "postgres", "gatehouse_rollup", postgresUrl));
    await db.apiProxy.createMany({
      data: [0, 1, 2].map((i) => ({ id: `px${i}`, name: `p${i}`, basePath: `p${i}`, targetUrl: i === 2 ? "http://plain.example.com" : "https://p.example.com" })),
    });
    await db.developer.createMany({ data: [0, 1].map((i) => ({ id: `dev${i}`, email: `dev${i}@example.com`, name: `dev${i}` })) });
    await db.app.createMany({ data: [0, 1, 2, 3].map((i) => ({ id: `app${i}`, ownerId: `dev${i % 2}`, name: `app${i}` })) });
    // Two writers (two gateway instances) at once, each with its own connection, batches of 100
    // that hit the same hours and keys, in no particular time order.
    const writer = async (list: AnalyticsEventInput[]) => {
      const sink = await databaseSink(target);
      for (let i = 0; i < list.length; i += 100) await sink.write(list.slice(i, i + 100));
      await sink.close();
    };
    await Promise.all([writer(first), writer(second)]);
  }, 60_000);
  afterAll(() => close());

  it("two writers at once: every rollup equals an aggregate of the raw events", async () => {
    expect(await db.analyticsEvent.count()).toBe(all.length);
    for (const spec of Object.values(ROLLUPS)) expect(await tableRows(db, spec)).toEqual(expectedRows(all, spec));
    // …and the same as SQL computes from the stored events.
    const [sums] = await db.$queryRawUnsafe<{ calls: unknown; latency: unknown; bytes: unknown }[]>(
      `SELECT SUM("calls") AS calls, SUM("latencySum") AS latency, SUM("bytesOut") AS bytes FROM "analytics_hourly"`,
    );
    const [raw] = await db.$queryRawUnsafe<{ calls: unknown; latency: unknown; bytes: unknown }[]>(
      `SELECT COUNT(*) AS calls, SUM("latencyMs") AS latency, SUM("bytesOut") AS bytes FROM "analytics_events"`,
    );
    expect([Number(sums!.calls), Number(sums!.latency), Number(sums!.bytes)]).toEqual([Number(raw!.calls), Number(raw!.latency), Number(raw!.bytes)]);
  });

  it("a rebuild from the raw events gives the same rows, and replaces rather than adds", async () => {
    const before = await Promise.all(Object.values(ROLLUPS).map((spec) => tableRows(db, spec)));
    await db.$executeRawUnsafe(`DELETE FROM "analytics_hourly_proxies" WHERE "hour" < ${START / 1000 + 5 * 3600}`);
    expect(await rebuildRollups(target, { from: new Date(START), to: new Date(START + 30 * HOUR) })).toBe(all.length);
    await rebuildRollups(target, { from: new Date(START + 2 * HOUR), to: new Date(START + 4 * HOUR) });
    expect(await Promise.all(Object.values(ROLLUPS).map((spec) => tableRows(db, spec)))).toEqual(before);
    for (const m of MEASURES) expect(before[0]![0]).toHaveProperty(m);
  });

  it("the dashboards give the same numbers from the rollup as from the raw events", async () => {
    const ranges: [string, string][] = [
      ["2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"], // 24 h, whole hours
      ["2026-03-10T00:17:00Z", "2026-03-11T05:43:10Z"], // ragged edges on both sides
      ["2026-03-03T00:00:00Z", "2026-03-17T00:00:00Z"], // 2 weeks, day buckets
    ];
    const scopes: Omit<DashboardFilter, "from" | "to" | "bucket">[] = [
      { scope: { kind: "all" } },
      { scope: { kind: "developer", developerId: "dev1" } },
      { scope: { kind: "all" }, proxyId: "px1" },
      { scope: { kind: "all" }, appId: "app2" },
      { scope: { kind: "developer", developerId: "dev0" }, proxyId: "px0" },
    ];
    for (const [from, to] of ranges) {
      for (const s of scopes) {
        const f: DashboardFilter = { from: new Date(from), to: new Date(to), bucket: Date.parse(to) - Date.parse(from) > 72 * HOUR ? "day" : "hour", ...s };
        const rolled = await dashboard(db, f);
        const raw = await dashboard(db, { ...f, rawOnly: true });
        const counts = (d: Dashboard) => ({ ...d, latency: null });
        expect(counts(rolled), `${from}…${to} ${JSON.stringify(s)}`).toEqual(counts(raw));
        expect(rolled.totals.calls).toBeGreaterThan(0);
        for (const [got, want] of [[rolled.latency.overall, raw.latency.overall], ...rolled.latency.series.map((p, i) => [p, raw.latency.series[i]!])] as const) {
          for (const k of ["p50", "p95", "p99"] as const) {
            if (want[k] === null) {
              expect(got[k]).toBeNull();
              continue;
            }
            // Each rank's value is placed inside its own bucket (≤ a third of the value wide), so
            // percentile_cont's interpolation between two ranks is off by at most a third of the result.
            expect(Math.abs(got[k]! - want[k]!) <= want[k]! / 3 + 0.02, `${k} ${got[k]} vs exact ${want[k]}`).toBe(true);
          }
        }
      }
    }
  }, 60_000);
});

describe.each([["sqlite"], ...(postgresUrl ? [["postgres"]] : [])])("migration 0008 on %s", (backend) => {
  it("backfills the rollups from the events stored before it", async () => {
    const list = events(2_000, 5);
    const all = readMigrationFiles(migrationsDir(backend as "sqlite" | "postgres"));
    const before = all.filter((m) => m.name < "0008");
    let target: DatabaseTarget, drop: () => Promise<void>;
    if (backend === "sqlite") {
      const dir = mkdtempSync(join(tmpdir(), "gatehouse-rollup-migration-"));
      target = { kind: "sqlite", file: join(dir, "test.db") };
      drop = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const database = await createTemporaryDatabase(postgresUrl!, `gatehouse_rollup_mig_${randomBytes(4).toString("hex")}`);
      target = { kind: "postgres", url: database.url };
      drop = database.drop;
    }
    const migrate = async (files: typeof all) => {
      const t = target.kind === "sqlite" ? sqliteMigrationTarget(target.file) : await postgresMigrationTarget(target.url);
      await runMigrations(t, files);
      await t.close();
    };
    await migrate(before);
    // Events as a Gatehouse before 0008 wrote them: the events' insert alone.
    if (target.kind === "sqlite") {
      const db = new Sqlite(target.file);
      const insert = db.prepare(SQLITE_INSERT);
      db.transaction(() => insertSqliteEvents(insert, encodeEvents(list)))();
      db.close();
    } else {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      await client.query(POSTGRES_INSERT, postgresEventParams(encodeEvents(list)));
      await client.end();
    }
    await migrate(all);
    const db = createDatabaseClient(target);
    try {
      for (const spec of Object.values(ROLLUPS)) expect(await tableRows(db, spec)).toEqual(expectedRows(list, spec));
    } finally {
      await db.$disconnect();
      await drop();
    }
  }, 60_000);
});
