// Recomputes the hourly rollups of a range of whole hours from the stored events: for events
// that reached analytics_events without the writer (restored from a backup, imported, written by
// a Gatehouse older than migration 0008 during a rolling upgrade). Migration 0008 backfills
// every event stored when it runs; this is for what comes later.
// Replaces (not adds to) the rollup rows of those hours, in one transaction. Run it on hours that
// gateways are no longer writing: a batch merged into the same hour while the rebuild reads the
// events could be counted twice (on PostgreSQL) — the rebuild itself is serialised by a lock.
import type { DatabaseTarget } from "../config/index.ts";
import { backfillSql, ROLLUPS } from "./rollup.ts";

const LOCK_KEY = 0x6a7e_4012; // any fixed number other than the migrations' lock

export interface RebuildRange {
  from: Date;
  to: Date;
}

/** Whole hours covering [from, to): from rounded down, to rounded up. */
export function wholeHours({ from, to }: RebuildRange): { fromHour: number; toHour: number } {
  return { fromHour: Math.floor(from.getTime() / 3_600_000) * 3600, toHour: Math.ceil(to.getTime() / 3_600_000) * 3600 };
}

/** Returns the number of events the rebuilt hours hold. */
export async function rebuildRollups(target: DatabaseTarget, range: RebuildRange): Promise<number> {
  const { fromHour, toHour } = wholeHours(range);
  const from = new Date(fromHour * 1000),
    to = new Date(toHour * 1000);
  if (target.kind === "sqlite") {
    const { default: Sqlite } = await import("better-sqlite3");
    const db = new Sqlite(target.file, { timeout: 10_000 });
    try {
      // The events' "at" is ISO text ending in "Z" or "+00:00": a suffix-less prefix bounds both.
      const bounds = [from.toISOString().slice(0, 23), to.toISOString().slice(0, 23)];
      const rebuild = db.transaction(() => {
        for (const spec of Object.values(ROLLUPS)) {
          db.prepare(`DELETE FROM "${spec.table}" WHERE "hour" >= ? AND "hour" < ?`).run(fromHour, toHour);
          db.prepare(backfillSql(spec, "sqlite", true)).run(...bounds);
        }
        return (db.prepare(`SELECT COUNT(*) AS n FROM "analytics_events" WHERE "at" >= ? AND "at" < ?`).get(...bounds) as { n: number }).n;
      });
      return rebuild.immediate();
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    for (const spec of Object.values(ROLLUPS)) {
      await client.query(`DELETE FROM "${spec.table}" WHERE "hour" >= $1 AND "hour" < $2`, [fromHour, toHour]);
      await client.query(backfillSql(spec, "postgres", true), [from, to]);
    }
    const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "analytics_events" WHERE "at" >= $1 AND "at" < $2`, [from, to]);
    await client.query("COMMIT");
    return Number(rows[0]!.n);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
