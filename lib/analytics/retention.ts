// Retention: analytics events older than ANALYTICS_RETENTION_DAYS and rollup hours older than
// ANALYTICS_ROLLUP_RETENTION_DAYS are deleted, every hour, so a gateway that runs for a year does
// not keep every call it ever saw (0 keeps them forever). Events go a bounded batch per statement,
// so the sink's writes wait at most one short delete; rollup rows are few (one per key an hour).
// Every instance may run it: a delete of what another instance deleted already deletes nothing.
import type { Logger } from "pino";
import type { Database } from "../db/index.ts";
import { isPostgres } from "./dashboard-queries.ts";
import { ROLLUPS } from "./rollup.ts";

export interface RetentionPolicy {
  /** Days of raw events kept (the last-hour view, per-app usage, partial hours); 0: forever. */
  eventDays: number;
  /** Days of hourly rollups kept (the 24 h / 7 d / 30 d dashboards); 0: forever. */
  rollupDays: number;
}

const DAY_MS = 86_400_000;
const BATCH = 1_000; // on SQLite a statement holds the process (better-sqlite3 is synchronous): a few ms each
const EVERY_MS = 3_600_000;
const FIRST_AFTER_MS = 60_000; // not in the start-up rush

/** Deletes what the policy no longer keeps; returns how many events and rollup rows went. */
export async function expireAnalytics(
  db: Database,
  policy: RetentionPolicy,
  now = Date.now(),
  stopped: () => boolean = () => false,
): Promise<{ events: number; rollupRows: number }> {
  let events = 0;
  let rollupRows = 0;
  if (policy.eventDays > 0) {
    const cutoff = new Date(now - policy.eventDays * DAY_MS);
    for (;;) {
      const deleted = isPostgres(db)
        ? await db.$executeRawUnsafe(`DELETE FROM "analytics_events" WHERE "id" IN (SELECT "id" FROM "analytics_events" WHERE "at" < $1 LIMIT ${BATCH})`, cutoff)
        : // SQLite holds "at" as ISO text (the sink, Prisma) or, from older writers, epoch
          // milliseconds; an integer sorts before any text, so the index range "at" < ISO
          // holds both kinds and the second test keeps the young integers.
          await db.$executeRawUnsafe(
            `DELETE FROM "analytics_events" WHERE rowid IN (SELECT rowid FROM "analytics_events" WHERE "at" < ? AND (typeof("at") <> 'integer' OR "at" < ?) LIMIT ${BATCH})`,
            cutoff.toISOString(),
            cutoff.getTime(),
          );
      events += deleted;
      if (deleted < BATCH || stopped()) break; // a shutdown does not wait for a long first clean-up
      await new Promise((resolve) => setImmediate(resolve)); // let the requests in between batches
    }
  }
  if (policy.rollupDays > 0) {
    const hour = Math.floor((now - policy.rollupDays * DAY_MS) / 3_600_000) * 3600; // epoch seconds, as rollup rows hold it
    for (const { table } of Object.values(ROLLUPS)) {
      rollupRows += await db.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "hour" < ${isPostgres(db) ? "$1" : "?"}`, hour);
    }
  }
  return { events, rollupRows };
}

/** Runs expireAnalytics a minute after start and then every hour; stop() ends it. */
export function startAnalyticsRetention(db: Database, policy: RetentionPolicy, log: Logger): { stop(): Promise<void> } {
  if (policy.eventDays <= 0 && policy.rollupDays <= 0) return { stop: async () => {} };
  let running: Promise<void> | null = null;
  let stopping = false;
  const run = () => {
    running ??= expireAnalytics(db, policy, Date.now(), () => stopping)
      .then(({ events, rollupRows }) => {
        if (events || rollupRows) log.info({ events, rollupRows, policy }, "analytics retention: old rows deleted");
      })
      .catch((error: unknown) => log.warn({ err: error }, "analytics retention failed; retrying in an hour"))
      .finally(() => (running = null));
  };
  const first = setTimeout(run, FIRST_AFTER_MS);
  const every = setInterval(run, EVERY_MS);
  first.unref();
  every.unref();
  return {
    async stop() {
      stopping = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
