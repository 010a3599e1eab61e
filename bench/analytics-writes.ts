// The analytics sink's cost per batch with the hourly rollups, against the events' insert alone:
// 200 batches of 500 events each (the gateway's batch size) from one second of traffic — 40 apps
// of 10 developers over 4 proxies, a few statuses — written to a fresh SQLite file and, when
// TEST_DATABASE_URL is set, a fresh PostgreSQL database.
// Usage: npx tsx bench/analytics-writes.ts
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import Sqlite from "better-sqlite3";
import { createTemporaryDatabase } from "../e2e/harness/backends.ts";
import type { DatabaseTarget } from "../lib/config/index.ts";
import { migrateDatabase } from "../lib/db/migrations/index.ts";
import { batchJson, databaseSink, POSTGRES_INSERT, SQLITE_INSERT } from "../lib/analytics/sink.ts";
import type { AnalyticsEventInput } from "../lib/analytics/writer.ts";

const BATCHES = 200, SIZE = 500;

function batch(b: number): AnalyticsEventInput[] {
  const at = new Date(Date.UTC(2026, 10, 28) + b * 1000);
  return Array.from({ length: SIZE }, (_, i) => {
    const app = (i * 7) % 40;
    return {
      at, requestId: `r${b}-${i}`, proxyId: `px${i % 4}`, version: "v1", productId: null, appId: `app${app}`, developerId: `dev${app % 10}`, userSub: null,
      method: "GET", path: `/items/${i}`, status: i % 25 === 0 ? 500 : i % 10 === 0 ? 404 : i % 33 === 0 ? 429 : 200, latencyMs: 1 + ((i * 31) % 300), upstreamLatencyMs: null,
      bytesIn: 0, bytesOut: 200, clientIp: "203.0.113.1", authenticated: i % 9 !== 0, authKind: null, tls: i % 7 !== 0, bot: null, blockedBy: i % 33 === 0 ? "spike-arrest" : null,
    };
  });
}

async function timed(write: (events: AnalyticsEventInput[]) => Promise<void>): Promise<number> {
  const batches = Array.from({ length: BATCHES }, (_, b) => batch(b));
  const started = process.hrtime.bigint();
  for (const events of batches) await write(events);
  return Number(process.hrtime.bigint() - started) / 1e6 / BATCHES;
}

async function run(name: string, target: DatabaseTarget, drop: () => Promise<void>) {
  await migrateDatabase(target);
  let eventsOnly: number;
  if (target.kind === "sqlite") {
    const db = new Sqlite(target.file);
    const insert = db.prepare(SQLITE_INSERT);
    eventsOnly = await timed(async (events) => void insert.run(batchJson(events, true)));
    db.close();
  } else {
    const pool = new pg.Pool({ connectionString: target.url, max: 1 });
    eventsOnly = await timed(async (events) => void (await pool.query(POSTGRES_INSERT, [batchJson(events, false)])));
    await pool.end();
  }
  const sink = await databaseSink(target);
  const withRollups = await timed((events) => sink.write(events));
  await sink.close();
  console.log(`| ${name} | ${eventsOnly.toFixed(1)} | ${withRollups.toFixed(1)} |`);
  await drop();
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`);
console.log(`| database | events only, ms per ${SIZE}-event batch | events + rollups, ms per batch |`);
console.log(`| --- | --- | --- |`);
const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-writes-"));
await run("SQLite", { kind: "sqlite", file: join(dir, "bench.db") }, async () => rmSync(dir, { recursive: true, force: true }));
if (process.env.TEST_DATABASE_URL) {
  const database = await createTemporaryDatabase(process.env.TEST_DATABASE_URL, `gatehouse_bench_${randomBytes(4).toString("hex")}`);
  await run("PostgreSQL", { kind: "postgres", url: database.url }, database.drop);
}
