// Where analytics batches go: straight through the database driver (better-sqlite3 or pg — no
// Prisma, no query building). workerSink() runs it on a worker thread: better-sqlite3 is
// synchronous, and a 500-row batch held the gateway's event loop for ~40 ms (a third of its
// throughput and its p99); the gateway posts each batch in the compact form of event-batch.ts.
// The same transaction merges the batch into the hourly rollups (rollup.ts), so the rollups
// always equal the stored events: a failed batch is retried whole, never counted twice.
// SQLite: a prepared one-row INSERT run per event inside the batch's transaction (a few µs a
// row; the batch as one JSON parameter expanded by json_each + json_extract per column cost
// ~3× more, bench/RESULTS.md). PostgreSQL: one statement, the batch as a JSON array of arrays.
import { startTsWorker } from "../runtime/ts-worker.ts";
import type { DatabaseTarget } from "../config/index.ts";
import { timeOrderedId } from "../db/time-ordered-id.ts";
import { AUTHENTICATED, CODED, encodeEvents, NUMBERS, TEXT, TLS, type EventBatch } from "./event-batch.ts";
import { aggregateBatch, ROLLUPS, upsertSql } from "./rollup.ts";
import type { AnalyticsEventInput } from "./writer.ts";

export interface EventSink {
  write(events: readonly AnalyticsEventInput[]): Promise<void>;
  close(): Promise<void>;
}

/** A sink in this thread, which also takes batches already encoded (from the gateway's thread). */
export interface BatchSink extends EventSink {
  writeBatch(batch: EventBatch): Promise<void>;
}

const COLUMNS = ["id", "at", "requestId", "proxyId", "version", "productId", "appId", "developerId", "userSub", "method", "path", "status", "latencyMs", "upstreamLatencyMs", "bytesIn", "bytesOut", "clientIp", "authenticated", "authKind", "tls", "bot", "blockedBy"] as const;
const PG_TYPES: Record<(typeof COLUMNS)[number], string> = {
  id: "text", at: "timestamp(3)", requestId: "text", proxyId: "text", version: "text", productId: "text", appId: "text", developerId: "text", userSub: "text", method: "text", path: "text",
  status: "integer", latencyMs: "integer", upstreamLatencyMs: "integer", bytesIn: "integer", bytesOut: "integer", clientIp: "text", authenticated: "boolean", authKind: "text", tls: "boolean", bot: "text", blockedBy: "text",
};
const columnList = COLUMNS.map((c) => `"${c}"`).join(", ");
export const SQLITE_INSERT = `INSERT INTO "analytics_events" (${columnList}) VALUES (${COLUMNS.map(() => "?").join(", ")})`;
export const POSTGRES_INSERT = `INSERT INTO "analytics_events" (${columnList}) SELECT ${COLUMNS.map((c, i) => (PG_TYPES[c] === "text" ? `x->>${i}` : `(x->>${i})::${PG_TYPES[c]}`)).join(", ")} FROM jsonb_array_elements($1::jsonb) AS x`;

/**
 * Ids for a batch's events: one UUIDv7 per 65,536 events, its last 16 bits the event's index —
 * time-ordered, so the primary key's index grows at its end instead of taking random pages (and
 * one timeOrderedId, ~3.5 µs here, per batch rather than per event).
 */
function batchIds(): (i: number) => string {
  let prefix = "";
  return (i) => {
    if ((i & 0xffff) === 0) prefix = timeOrderedId().slice(0, 32);
    return prefix + ((i & 0xffff) | 0x10000).toString(16).slice(1);
  };
}

const MILLIS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** Date.prototype.toISOString of epoch ms (~0.8 µs each here), the text of the second computed once per second. */
function isoTimes(): (ms: number) => string {
  let second = NaN, prefix = "";
  return (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      prefix = new Date(s * 1000).toISOString().slice(0, -4); // throws on an invalid date, as toISOString does
      second = s;
    }
    return prefix + MILLIS[ms - s * 1000]! + "Z";
  };
}

/**
 * Event i's row in COLUMNS order, into `row`. Timestamps as UTC ISO text (what Prisma's SQLite
 * adapter reads back); booleans as 1/0 for SQLite, true/false for PostgreSQL.
 */
function eventRow(b: EventBatch, i: number, id: string, at: (ms: number) => string, sqlite: boolean, row: unknown[]): unknown[] {
  const n = i * NUMBERS, c = i * CODED.length, t = i * TEXT.length;
  const word = (k: number) => { const w = b.codes[c + k]!; return w < 0 ? null : b.words[w]!; };
  const upstream = b.numbers[n + 3]!, flags = b.flags[i]!;
  row[0] = id; row[1] = at(b.numbers[n]!); row[2] = b.texts[t]; row[3] = word(0); row[4] = word(1); row[5] = word(2); row[6] = word(3); row[7] = word(4); row[8] = b.texts[t + 3];
  row[9] = word(5); row[10] = b.texts[t + 1]; row[11] = b.numbers[n + 1]; row[12] = b.numbers[n + 2]; row[13] = Number.isNaN(upstream) ? null : upstream; row[14] = b.numbers[n + 4]; row[15] = b.numbers[n + 5];
  row[16] = b.texts[t + 2]; row[17] = sqlite ? flags & AUTHENTICATED : (flags & AUTHENTICATED) !== 0; row[18] = word(6); row[19] = sqlite ? (flags & TLS) >> 1 : (flags & TLS) !== 0; row[20] = word(7); row[21] = word(8);
  return row;
}

/** Runs SQLITE_INSERT (prepared) once per event of the batch; the caller holds the transaction. */
export function insertSqliteEvents(insert: { run(params: unknown[]): unknown }, b: EventBatch): void {
  const id = batchIds(), at = isoTimes(), row = new Array<unknown>(COLUMNS.length);
  for (let i = 0; i < b.length; i++) insert.run(eventRow(b, i, id(i), at, true, row));
}

/** The batch as POSTGRES_INSERT's parameter: a JSON array of rows in COLUMNS order. */
export function postgresEventsJson(b: EventBatch): string {
  const id = batchIds(), at = isoTimes(), rows = new Array<unknown[]>(b.length);
  for (let i = 0; i < b.length; i++) rows[i] = eventRow(b, i, id(i), at, false, new Array<unknown>(COLUMNS.length));
  return JSON.stringify(rows);
}

export async function databaseSink(target: DatabaseTarget): Promise<BatchSink> {
  const specs = Object.keys(ROLLUPS) as (keyof typeof ROLLUPS)[];
  let writeBatch: (b: EventBatch) => Promise<void>, close: () => Promise<void>;
  if (target.kind === "sqlite") {
    const { default: Sqlite } = await import("better-sqlite3");
    const db = new Sqlite(target.file, { timeout: 10_000 });
    // The application's own connections commit with synchronous=NORMAL in WAL mode (lib/db/client.ts):
    // a crash of the process loses nothing, a power loss at most the last commits. Without it this
    // connection synced the log on every batch.
    db.pragma("synchronous = NORMAL");
    const insert = db.prepare(SQLITE_INSERT);
    const upserts = specs.map((name) => ({ name, statement: db.prepare(upsertSql(ROLLUPS[name], "sqlite")) }));
    // IMMEDIATE: take the write lock first, so two writers queue on busy_timeout instead of
    // failing on a read-to-write upgrade.
    const write = db.transaction((b: EventBatch) => {
      insertSqliteEvents(insert, b);
      const rows = aggregateBatch(b);
      for (const { name, statement } of upserts) for (const row of rows[name]) statement.run(row);
    });
    writeBatch = async (b) => void write.immediate(b);
    close = async () => void db.close();
  } else {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: target.url, max: 1, connectionTimeoutMillis: 5_000 });
    pool.on("error", () => {}); // a dropped idle connection is replaced on the next write
    // One statement (data-modifying CTEs) is one implicit transaction and one round trip: the
    // events and every rollup merge commit together or not at all. Rollup rows come sorted by
    // key, so concurrent writers lock shared rows in the same order. Named: parsed once per connection.
    const merge = `WITH events AS (${POSTGRES_INSERT}), ${specs.slice(0, -1).map((name, i) => `r${i} AS (${upsertSql(ROLLUPS[name], "postgres", i + 2)})`).join(", ")} ${upsertSql(ROLLUPS[specs.at(-1)!], "postgres", specs.length + 1)}`;
    writeBatch = async (b) => {
      const rows = aggregateBatch(b);
      await pool.query({ name: "gatehouse_analytics_merge", text: merge, values: [postgresEventsJson(b), ...specs.map((name) => JSON.stringify(rows[name]))] });
    };
    close = () => pool.end();
  }
  return { write: (events) => writeBatch(encodeEvents(events)), writeBatch, close };
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
        worker.postMessage({ id, batch: encodeEvents(events) });
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
