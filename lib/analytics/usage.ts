// Usage of one app: calls, errors and latency per hour, from the analytics_events table the
// gateway writes. Aggregated in the database — one row per hour comes back, never the events.
// Who may see which app is the caller's decision (lib/portal/analytics.ts).
import { Prisma } from "../db/generated/sqlite/client.ts";
import type { Database } from "../db/index.ts";
import { isPostgres } from "./dashboard-queries.ts";

export interface UsageBucket {
  /** Start of the hour, ISO 8601 UTC. */
  hour: string;
  calls: number;
  clientErrors: number;
  serverErrors: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
}

export interface AppUsage {
  appId: string;
  since: string;
  until: string;
  totals: { calls: number; clientErrors: number; serverErrors: number; avgLatencyMs: number | null };
  buckets: UsageBucket[];
}

interface Row {
  hour: string | Date;
  calls: bigint | number;
  client_errors: bigint | number | null;
  server_errors: bigint | number | null;
  avg_latency: number | string | null;
  max_latency: bigint | number | null;
}

const HOUR_MS = 3_600_000;

/** The last `hours` hours up to `now`, the current hour included. */
export async function hourlyUsage(db: Database, appId: string, hours: number, now: Date): Promise<AppUsage> {
  const since = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);
  const rows = await hourlyRows(db, appId, since);
  const buckets = rows.map((r) => ({
    hour: new Date(r.hour).toISOString(),
    calls: Number(r.calls),
    clientErrors: Number(r.client_errors ?? 0),
    serverErrors: Number(r.server_errors ?? 0),
    avgLatencyMs: Math.round(Number(r.avg_latency ?? 0)),
    maxLatencyMs: Number(r.max_latency ?? 0),
  }));
  const calls = buckets.reduce((n, b) => n + b.calls, 0);
  return {
    appId,
    since: since.toISOString(),
    until: now.toISOString(),
    totals: {
      calls,
      clientErrors: buckets.reduce((n, b) => n + b.clientErrors, 0),
      serverErrors: buckets.reduce((n, b) => n + b.serverErrors, 0),
      avgLatencyMs: calls ? Math.round(buckets.reduce((n, b) => n + b.avgLatencyMs * b.calls, 0) / calls) : null,
    },
    buckets,
  };
}

/** The two providers truncate timestamps differently; everything else is the same SQL. */
async function hourlyRows(db: Database, appId: string, since: Date): Promise<Row[]> {
  const postgres = isPostgres(db);
  const aggregates = Prisma.sql`COUNT(*) AS calls,
    SUM(CASE WHEN "status" >= 400 AND "status" < 500 THEN 1 ELSE 0 END) AS client_errors,
    SUM(CASE WHEN "status" >= 500 THEN 1 ELSE 0 END) AS server_errors,
    AVG("latencyMs") AS avg_latency, MAX("latencyMs") AS max_latency`;
  if (postgres) {
    return db.$queryRaw<Row[]>`SELECT date_trunc('hour', "at") AS hour, ${aggregates}
      FROM "analytics_events" WHERE "appId" = ${appId} AND "at" >= ${since}
      GROUP BY 1 ORDER BY 1`;
  }
  // Prisma's SQLite adapter keeps DateTime as ISO text or as epoch milliseconds; accept both.
  const hour = Prisma.sql`CASE WHEN typeof("at") = 'integer' THEN strftime('%Y-%m-%dT%H:00:00Z', "at" / 1000, 'unixepoch') ELSE strftime('%Y-%m-%dT%H:00:00Z', "at") END`;
  const atMs = Prisma.sql`CASE WHEN typeof("at") = 'integer' THEN "at" ELSE CAST((julianday("at") - 2440587.5) * 86400000 AS INTEGER) END`;
  return db.$queryRaw<Row[]>`SELECT ${hour} AS hour, ${aggregates}
    FROM "analytics_events" WHERE "appId" = ${appId} AND ${atMs} >= ${since.getTime()}
    GROUP BY 1 ORDER BY 1`;
}
