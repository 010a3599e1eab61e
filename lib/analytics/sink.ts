// Where analytics batches go: straight through the database driver (better-sqlite3 or pg — no
// Prisma, no query building). workerSink() runs it on a worker thread: better-sqlite3 is
// synchronous, and a 500-row batch held the gateway's event loop for ~40 ms (a third of its
// throughput and its p99); the gateway posts each batch in the compact form of event-batch.ts.
// The same transaction merges the batch into the hourly rollups (rollup.ts), so the rollups
// always equal the stored events: a failed batch is retried whole, never counted twice.
// SQLite: a prepared one-row INSERT run per event inside the batch's transaction (a few µs a
// row; the batch as one JSON parameter expanded by json_each + json_extract per column cost
// ~3× more, bench/RESULTS.md). PostgreSQL: one statement whose parameters are the batch's own
// arrays (see POSTGRES_INSERT): the client joins arrays instead of building JSON per event.
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

const COLUMNS = [
  "id",
  "at",
  "requestId",
  "proxyId",
  "version",
  "productId",
  "appId",
  "developerId",
  "userSub",
  "method",
  "path",
  "status",
  "latencyMs",
  "upstreamLatencyMs",
  "bytesIn",
  "bytesOut",
  "clientIp",
  "authenticated",
  "authKind",
  "tls",
  "bot",
  "blockedBy",
] as const;
const columnList = COLUMNS.map((c) => `"${c}"`).join(", ");
export const SQLITE_INSERT = `INSERT INTO "analytics_events" (${columnList}) VALUES (${COLUMNS.map(() => "?").join(", ")})`;
/**
 * The events of an EventBatch as PostgreSQL parameters (postgresEventParams): $1 the numbers
 * (float8[]), $2 the codes + 1 (int[]; 0 is null), $3 the words (text[]), $4 the TEXT columns
 * (one JSON array), $5 the flags (int[]), $6 the id prefixes (text[], see idPrefixes), $7 the count.
 * Arrays' join and one JSON.stringify of strings are all the client does per event; PostgreSQL
 * indexes the arrays (jsonb, not json: json would be parsed again on every ->>).
 */
const pgWord = (k: number) => `($3::text[])[($2::int[])[i * ${CODED.length} + ${k + 1}]]`;
const pgNumber = (k: number) => `($1::float8[])[i * ${NUMBERS} + ${k + 1}]`;
const pgText = (k: number) => `$4::jsonb ->> (i * ${TEXT.length} + ${k})`;
const PG_VALUES: Record<(typeof COLUMNS)[number], string> = {
  id: `($6::text[])[(i >> 16) + 1] || lpad(to_hex(i & 65535), 4, '0')`,
  at: `timestamp '1970-01-01' + ${pgNumber(0)}::bigint * interval '1 millisecond'`,
  requestId: pgText(0),
  proxyId: pgWord(0),
  version: pgWord(1),
  productId: pgWord(2),
  appId: pgWord(3),
  developerId: pgWord(4),
  userSub: pgText(3),
  method: pgWord(5),
  path: pgText(1),
  status: `${pgNumber(1)}::integer`,
  latencyMs: `${pgNumber(2)}::integer`,
  upstreamLatencyMs: `NULLIF(${pgNumber(3)}, 'NaN')::integer`,
  bytesIn: `${pgNumber(4)}::integer`,
  bytesOut: `${pgNumber(5)}::integer`,
  clientIp: pgText(2),
  authenticated: `(($5::int[])[i + 1] & ${AUTHENTICATED}) <> 0`,
  authKind: pgWord(6),
  tls: `(($5::int[])[i + 1] & ${TLS}) <> 0`,
  bot: pgWord(7),
  blockedBy: pgWord(8),
};
export const POSTGRES_INSERT = `INSERT INTO "analytics_events" (${columnList}) SELECT ${COLUMNS.map((c) => PG_VALUES[c]).join(", ")} FROM generate_series(0, $7::int - 1) AS i`;

/**
 * Ids for a batch's events: one UUIDv7 per 65,536 events, its last 16 bits the event's index —
 * time-ordered, so the primary key's index grows at its end instead of taking random pages (and
 * one timeOrderedId, ~3.5 µs here, per batch rather than per event). Same ids on PostgreSQL, built in SQL.
 */
function idPrefixes(length: number): string[] {
  const prefixes: string[] = [];
  for (let i = 0; i < length; i += 0x10000) prefixes.push(timeOrderedId().slice(0, 32));
  return prefixes;
}

const MILLIS = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, "0")}Z`);
/** The id suffixes of a gateway-sized batch, made once (a per-event toString(16) showed in the sink's CPU). */
const SUFFIXES = Array.from({ length: 4096 }, (_, i) => (i | 0x10000).toString(16).slice(1));
const suffix = (i: number) => SUFFIXES[i & 0xffff] ?? ((i & 0xffff) | 0x10000).toString(16).slice(1);

/** Date.prototype.toISOString of epoch ms (~0.8 µs each here), the text of the second computed once per second. */
function isoTimes(): (ms: number) => string {
  let second = NaN,
    prefix = "";
  return (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      prefix = new Date(s * 1000).toISOString().slice(0, -4); // throws on an invalid date, as toISOString does
      second = s;
    }
    return prefix + MILLIS[ms - s * 1000]!;
  };
}

/** Event i's row in COLUMNS order, into `row`: timestamps as UTC ISO text (what Prisma's SQLite adapter reads back), booleans as 1/0. */
function sqliteRow(b: EventBatch, i: number, id: string, at: (ms: number) => string, row: unknown[]): unknown[] {
  const n = i * NUMBERS,
    c = i * CODED.length,
    t = i * TEXT.length;
  const upstream = b.numbers[n + 3]!,
    flags = b.flags[i]!;
  row[0] = id;
  row[1] = at(b.numbers[n]!);
  row[2] = b.texts[t];
  row[3] = word(b, c);
  row[4] = word(b, c + 1);
  row[5] = word(b, c + 2);
  row[6] = word(b, c + 3);
  row[7] = word(b, c + 4);
  row[8] = b.texts[t + 3];
  row[9] = word(b, c + 5);
  row[10] = b.texts[t + 1];
  row[11] = b.numbers[n + 1];
  row[12] = b.numbers[n + 2];
  row[13] = Number.isNaN(upstream) ? null : upstream;
  row[14] = b.numbers[n + 4];
  row[15] = b.numbers[n + 5];
  row[16] = b.texts[t + 2];
  row[17] = flags & AUTHENTICATED;
  row[18] = word(b, c + 6);
  row[19] = (flags & TLS) >> 1;
  row[20] = word(b, c + 7);
  row[21] = word(b, c + 8);
  return row;
}

const word = (b: EventBatch, at: number): string | null => (b.codes[at]! < 0 ? null : b.words[b.codes[at]!]!);

/** Runs SQLITE_INSERT (prepared) once per event of the batch; the caller holds the transaction. */
export function insertSqliteEvents(insert: { run(params: unknown[]): unknown }, b: EventBatch): void {
  const prefixes = idPrefixes(b.length),
    at = isoTimes(),
    row = new Array<unknown>(COLUMNS.length);
  for (let i = 0; i < b.length; i++) insert.run(sqliteRow(b, i, prefixes[i >> 16]! + suffix(i), at, row));
}

/** POSTGRES_INSERT's parameters for the batch. */
export function postgresEventParams(b: EventBatch): unknown[] {
  const codes = new Int32Array(b.codes.length);
  for (let k = 0; k < codes.length; k++) codes[k] = b.codes[k]! + 1;
  return [`{${b.numbers.join(",")}}`, `{${codes.join(",")}}`, b.words, JSON.stringify(b.texts), `{${b.flags.join(",")}}`, idPrefixes(b.length), b.length];
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
    const first = 8; // after POSTGRES_INSERT's seven
    const merge = `WITH events AS (${POSTGRES_INSERT}), ${specs
      .slice(0, -1)
      .map((name, i) => `r${i} AS (${upsertSql(ROLLUPS[name], "postgres", first + i)})`)
      .join(", ")} ${upsertSql(ROLLUPS[specs.at(-1)!], "postgres", first + specs.length - 1)}`;
    writeBatch = async (b) => {
      const rows = aggregateBatch(b);
      await pool.query({ name: "gatehouse_analytics_merge", text: merge, values: [...postgresEventParams(b), ...specs.map((name) => JSON.stringify(rows[name]))] });
    };
    close = () => pool.end();
  }
  return { write: (events) => writeBatch(encodeEvents(events)), writeBatch, close };
}

/** The same sink on a worker thread. */
export function workerSink(target: DatabaseTarget): BatchSink {
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
  const writeBatch = (batch: EventBatch): Promise<void> => {
    if (exited) return Promise.reject(new Error("analytics worker stopped"));
    const id = next++;
    worker.ref(); // a batch in flight keeps the process alive until it is written
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, batch });
    });
  };
  return {
    write: (events) => writeBatch(encodeEvents(events)),
    writeBatch,
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
