// Dashboard queries on 1,000,000 events: inserts them (batched multi-row inserts through the
// gateway's own sink, which also merges them into the hourly rollups; spread over 30 days, 300
// apps of 60 developers, 6 proxies) into a fresh SQLite file and, when TEST_DATABASE_URL is set,
// a fresh PostgreSQL database; then times dashboard() for 24 h / 7 d / 30 d, as an admin
// (everything) and as one developer (5 apps): "raw" reads the events only (the dashboards before
// the rollups), "rollup" is what the dashboards do now. Ranges end at a ragged minute (00:17),
// so the rollup path also reads two partial hours of raw events.
// Usage: npx tsx bench/analytics-queries.ts [events=1000000]
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createTemporaryDatabase } from "../e2e/harness/backends.ts";
import type { DatabaseTarget } from "../lib/config/index.ts";
import { createDatabaseClient, type Database } from "../lib/db/client.ts";
import { migrateDatabase } from "../lib/db/migrations/index.ts";
import { bucketFor, dashboard, type Scope } from "../lib/analytics/dashboard-queries.ts";
import { databaseSink } from "../lib/analytics/sink.ts";
import type { AnalyticsEventInput } from "../lib/analytics/writer.ts";

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const BATCH = 5_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 0, 0, 0);
const RAGGED = 17 * 60_000; // the ranges end 17 minutes past an hour, like "now" does

async function seed(db: Database, target: DatabaseTarget) {
  const devs = Array.from({ length: 60 }, (_, i) => ({ id: `dev${i}`, email: `dev${i}@bench.example`, name: `dev ${i}` }));
  await db.developer.createMany({ data: devs });
  const apps = Array.from({ length: 300 }, (_, i) => ({ id: `app${i}`, ownerId: `dev${i % 60}`, name: `app ${i}` }));
  await db.app.createMany({ data: apps });
  const proxies = Array.from({ length: 6 }, (_, i) => ({
    id: `px${i}`,
    name: `proxy${i}`,
    basePath: `p${i}`,
    targetUrl: i === 5 ? "http://legacy.example.com" : `https://p${i}.example.com`,
  }));
  await db.apiProxy.createMany({ data: proxies });
  const sink = await databaseSink(target);
  const started = Date.now();
  let batch: AnalyticsEventInput[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const app = (i * 7919) % 300;
    batch.push({
      // in time order, as the gateway writes them
      at: new Date(NOW - 30 * DAY + Math.floor((i / TOTAL) * 30 * DAY)),
      requestId: `r${i}`,
      proxyId: `px${i % 6}`,
      version: "v1",
      productId: null,
      appId: `app${app}`,
      developerId: `dev${app % 60}`,
      userSub: null,
      method: "GET",
      path: `/items/${i % 1000}`,
      status: i % 50 === 0 ? 500 : i % 20 === 0 ? 404 : i % 33 === 0 ? 429 : 200,
      latencyMs: 1 + ((i * 31) % 400),
      upstreamLatencyMs: null,
      bytesIn: 0,
      bytesOut: 200,
      clientIp: "203.0.113.1",
      authenticated: i % 9 !== 0,
      authKind: "gatehouse-token",
      tls: i % 7 !== 0,
      bot: i % 40 === 0 ? "Flooder" : null,
      blockedBy: i % 33 === 0 ? "spike-arrest" : null,
    });
    if (batch.length === BATCH) {
      await sink.write(batch);
      batch = [];
    }
  }
  if (batch.length) await sink.write(batch);
  await sink.close();
  return (Date.now() - started) / 1000;
}

async function time(db: Database, days: number, scope: Scope, rawOnly: boolean) {
  const from = new Date(NOW - RAGGED - days * DAY);
  const to = new Date(NOW - RAGGED);
  const started = process.hrtime.bigint();
  const d = await dashboard(db, { from, to, bucket: bucketFor(from, to), scope, rawOnly });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, calls: d.totals.calls };
}

async function run(name: string, target: DatabaseTarget, drop: () => Promise<void>) {
  await migrateDatabase(target);
  const db = createDatabaseClient(target);
  try {
    const insertSeconds = await seed(db, target);
    if (target.kind === "postgres") await db.$executeRawUnsafe(`ANALYZE "analytics_events"`);
    else await db.$executeRawUnsafe(`ANALYZE`);
    const sizes = [];
    for (const table of ["analytics_hourly", "analytics_hourly_proxies", "analytics_hourly_apps"]) {
      const [row] = await db.$queryRawUnsafe<{ n: unknown }[]>(`SELECT COUNT(*) AS n FROM "${table}"`);
      sizes.push(`${table} ${Number(row!.n)} rows`);
    }
    console.log(`${name}: inserted ${TOTAL} events (and their rollups) in ${insertSeconds.toFixed(1)} s; ${sizes.join(", ")}`);
    console.log(`| database | range | scope | calls in range | raw: first / second run ms | rollup: first / second run ms |`);
    console.log(`| --- | --- | --- | --- | --- | --- |`);
    for (const days of [1, 7, 30]) {
      for (const [label, scope] of [
        ["admin", { kind: "all" }],
        ["developer (5 apps)", { kind: "developer", developerId: "dev7" }],
      ] as const) {
        const raw = [await time(db, days, scope, true), await time(db, days, scope, true)];
        const rolled = [await time(db, days, scope, false), await time(db, days, scope, false)];
        if (raw[0]!.calls !== rolled[0]!.calls) throw new Error(`calls differ: raw ${raw[0]!.calls}, rollup ${rolled[0]!.calls}`);
        const ms = (r: { ms: number }[]) => r.map((x) => x.ms.toFixed(0)).join(" / ");
        console.log(`| ${name} | ${days === 1 ? "24 h" : `${days} d`} | ${label} | ${rolled[0]!.calls} | ${ms(raw)} | ${ms(rolled)} |`);
      }
    }
  } finally {
    await db.$disconnect();
    await drop();
  }
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`);
const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-analytics-"));
await run("SQLite", { kind: "sqlite", file: join(dir, "bench.db") }, async () => rmSync(dir, { recursive: true, force: true }));
if (process.env.TEST_DATABASE_URL) {
  const database = await createTemporaryDatabase(process.env.TEST_DATABASE_URL, `gatehouse_bench_${randomBytes(4).toString("hex")}`);
  await run("PostgreSQL", { kind: "postgres", url: database.url }, database.drop);
}
