// The Prisma client for the configured database, through a driver adapter (no Rust engine).
// Both providers are generated from one model, so the SQLite client's type stands for both.
// Each client also gets a DirectSql on the same driver connection for the few hottest
// statements (lib/db/direct-sql.ts).
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import type { DatabaseTarget } from "../config/index.ts";
import { PostgresDirectSql, SqliteDirectSql, type DirectSql } from "./direct-sql.ts";

export type Database = SqliteClient;

const direct = new WeakMap<object, DirectSql>();

/** The SQLite adapter, keeping hold of the connection it opens (one per client) and setting it
 * up: write-ahead log (readers never wait for the writer) with synchronous=NORMAL — a commit
 * survives a crash of the process; only a power loss can take the last ones back — and a page
 * cache large enough for the token indexes. */
class SqliteAdapter extends PrismaBetterSQLite3 {
  connection: BetterSqlite3.Database | null = null;

  override async connect() {
    const adapter = await super.connect();
    // the adapter's connection is its public `client` field
    const connection = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    connection.pragma("cache_size = -65536"); // 64 MiB of pages (the default is 2 MiB)
    // Transactions take the write lock when they begin (BEGIN IMMEDIATE; the adapter says BEGIN):
    // other connections write the same file — the other thread's client, the analytics sink —
    // and a deferred transaction that read first and then writes after another connection's
    // commit fails at once with SQLITE_BUSY instead of waiting out the busy timeout.
    const prepare = connection.prepare.bind(connection);
    connection.prepare = ((sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql)) as typeof connection.prepare;
    this.connection = connection;
    return adapter;
  }
}

export function createDatabaseClient(target: DatabaseTarget): Database {
  if (target.kind === "sqlite") {
    const adapter = new SqliteAdapter({ url: target.file, timeout: 10_000 });
    const client = new SqliteClient({ adapter });
    direct.set(client, new SqliteDirectSql(() => adapter.connection));
    return client;
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle connection the server drops (restart, failover) is replaced on the next query; the
  // pool's error event must be heard or Node treats it as an uncaught exception.
  pool.on("error", () => {});
  const client = new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }) as unknown as Database;
  direct.set(client, PostgresDirectSql.create(pool, target.url));
  return client;
}

/** Disconnects Prisma and the direct path's own connections. */
export async function closeDatabaseClient(db: Database): Promise<void> {
  await db.$disconnect();
  await direct.get(db)?.close();
}

/** The direct path for a client made by createDatabaseClient, once it has connected; null for
 * a transaction's client (its statements must stay inside the transaction) or before connecting. */
export function directSql(db: object): DirectSql | null {
  const sql = direct.get(db);
  return sql && sql.ready() ? sql : null;
}
