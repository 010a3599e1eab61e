// Where analytics batches go: one INSERT per batch straight through the database driver
// (better-sqlite3 or pg — no Prisma: one statement, no query building), with the whole batch
// as a single JSON parameter that the database expands (json_each / json_to_recordset).
// workerSink() runs it on a worker thread: better-sqlite3 is synchronous, and a 500-row batch
// held the gateway's event loop for ~40 ms (a third of its throughput and its p99).
// The same transaction merges the batch into the hourly rollups (rollup.ts), so the rollups
// always equal the stored events: a failed batch is retried whole, never counted twice.
import { randomUUID } from "node:crypto";
import { startTsWorker } from "../runtime/ts-worker.ts";
import type { DatabaseTarget } from "../config/index.ts";
import { aggregate, ROLLUPS, rowsJson, rowValues, upsertSql } from "./rollup.ts";
import type { AnalyticsEventInput } from "./writer.ts";

export interface EventSink {
  write(events: readonly AnalyticsEventInput[]): Promise<void>;
  close(): Promise<void>;
}

const COLUMNS = ["id", "at", "requestId", "proxyId", "version", "productId", "appId", "developerId", "userSub", "method", "path", "status", "latencyMs", "upstreamLatencyMs", "bytesIn", "bytesOut", "clientIp", "authenticated", "authKind", "tls", "bot", "blockedBy"] as const;
const PG_TYPES: Record<(typeof COLUMNS)[number], string> = {
  id: "text", at: "timestamp(3)", requestId: "text", proxyId: "text", version: "text", productId: "text", appId: "text", developerId: "text", userSub: "text", method: "text", path: "text",
  status: "integer", latencyMs: "integer", upstreamLatencyMs: "integer", bytesIn: "integer", bytesOut: "integer", clientIp: "text", authenticated: "boolean", authKind: "text", tls: "boolean", bot: "text", blockedBy: "text",
};
const columnList = COLUMNS.map((c) => `"${c}"`).join(", ");
export const SQLITE_INSERT = `INSERT INTO "analytics_events" (${columnList}) SELECT ${COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(", ")} FROM json_each(?)`;
export const POSTGRES_INSERT = `INSERT INTO "analytics_events" (${columnList}) SELECT ${columnList} FROM json_to_recordset($1::json) AS x(${COLUMNS.map((c) => `"${c}" ${PG_TYPES[c]}`).join(", ")})`;

/** Timestamps as UTC ISO text (what Prisma's SQLite adapter reads back), booleans as 1/0 for SQLite. */
export function batchJson(events: readonly AnalyticsEventInput[], sqlite: boolean): string {
  return JSON.stringify(
    events.map((e) => ({ ...e, id: randomUUID(), at: e.at.toISOString(), ...(sqlite ? { authenticated: e.authenticated ? 1 : 0, tls: e.tls ? 1 : 0 } : {}) })),
  );
}

export async function databaseSink(target: DatabaseTarget): Promise<EventSink> {
  if (target.kind === "sqlite") {
    const { default: Sqlite } = await import("better-sqlite3");
    const db = new Sqlite(target.file, { timeout: 10_000 });
    const insert = db.prepare(SQLITE_INSERT);
    const upserts = Object.values(ROLLUPS).map((spec) => ({ spec, statement: db.prepare(upsertSql(spec, "sqlite")) }));
    // IMMEDIATE: take the write lock first, so two writers queue on busy_timeout instead of
    // failing on a read-to-write upgrade.
    const write = db.transaction((events: readonly AnalyticsEventInput[]) => {
      insert.run(batchJson(events, true));
      for (const { spec, statement } of upserts) for (const row of aggregate(events, spec)) statement.run(rowValues(spec, row));
    });
    return {
      write: async (events) => void write.immediate(events),
      close: async () => void db.close(),
    };
  }
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: target.url, max: 1, connectionTimeoutMillis: 5_000 });
  pool.on("error", () => {}); // a dropped idle connection is replaced on the next write
  // One statement (data-modifying CTEs) is one implicit transaction and one round trip: the
  // events and every rollup merge commit together or not at all. Rollup rows come sorted by
  // key, so concurrent writers lock shared rows in the same order.
  const specs = Object.values(ROLLUPS);
  const merge = `WITH events AS (${POSTGRES_INSERT}), ${specs.slice(0, -1).map((spec, i) => `r${i} AS (${upsertSql(spec, "postgres", i + 2)})`).join(", ")} ${upsertSql(specs.at(-1)!, "postgres", specs.length + 1)}`;
  return {
    async write(events) {
      await pool.query(merge, [batchJson(events, false), ...specs.map((spec) => rowsJson(aggregate(events, spec)))]);
    },
    close: () => pool.end(),
  };
}

/** The same sink on a worker thread. */
export function workerSink(target: DatabaseTarget): EventSink {
  const worker = startTsWorker(new URL("./sink-worker.ts", import.meta.url), { target });
  worker.unref();
  let exited = false;
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on("message", (m: { id: number; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) worker.unref(); // idle: the worker alone does not keep the process alive
    if (m.error) p?.reject(new Error(m.error));
    else p?.resolve();
  });
  worker.on("error", failAll);
  worker.on("exit", () => {
    exited = true;
    failAll(new Error("analytics worker stopped"));
  });
  return {
    write(events) {
      if (exited) return Promise.reject(new Error("analytics worker stopped"));
      const id = next++;
      worker.ref(); // a batch in flight keeps the process alive until it is written
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, events });
      });
    },
    async close() {
      if (exited) return;
      const gone = new Promise((resolve) => worker.once("exit", resolve));
      worker.ref();
      worker.postMessage({ close: true });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      if (!exited) await worker.terminate();
    },
  };
}
