// The few hottest statements (storing and finding a token by its hash) skip Prisma's query
// machinery and run on the same driver connection Prisma uses: the better-sqlite3 connection
// of the SQLite adapter (prepared statements kept), or the pg Pool handed to the PostgreSQL
// adapter (named prepared statements). Same connection, same locks and transactions as every
// other query — only Prisma's per-query overhead is gone (bench/RESULTS.md, "Token endpoint").
//
// SQL is written once in PostgreSQL's style ($1, $2, …; identifiers quoted) and translated for
// SQLite. Dates are encoded exactly as Prisma's adapters store them, so Prisma reads these rows.
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";

export type SqlValue = string | number | boolean | null | Date;
export type SqlRow = Record<string, unknown>;

export interface DirectSql {
  readonly dialect: "sqlite" | "postgres";
  /** Whether the driver connection exists yet (Prisma connects on the first query). */
  ready(): boolean;
  /** Runs a statement that returns no rows. */
  run(sql: string, params: SqlValue[]): Promise<void>;
  /** The first row, or undefined. Date columns come back as Date. */
  first(sql: string, params: SqlValue[]): Promise<SqlRow | undefined>;
  /** Inserts one row; rows inserted in the same event-loop turn share one statement (and one
   * commit). Resolves once the row is committed. */
  insert(table: string, columns: readonly string[], values: SqlValue[]): Promise<void>;
}

/** Group commit: rows queued during one event-loop turn become one multi-row INSERT — one
 * round trip and one log flush for all of them, so throughput grows with concurrency instead
 * of every request paying for its own commit. */
class InsertBatches {
  private readonly queues = new Map<string, Array<{ values: SqlValue[]; done: (error?: unknown) => void }>>();

  constructor(private readonly execute: (sql: string, params: SqlValue[]) => Promise<void>) {}

  insert(table: string, columns: readonly string[], values: SqlValue[]): Promise<void> {
    const key = `${table}\u0000${columns.join(",")}`;
    let queue = this.queues.get(key);
    if (!queue) {
      this.queues.set(key, (queue = []));
      setImmediate(() => this.flush(key, table, columns));
    }
    return new Promise((resolve, reject) => queue.push({ values, done: (error) => (error ? reject(error) : resolve()) }));
  }

  private async flush(key: string, table: string, columns: readonly string[]): Promise<void> {
    const rows = this.queues.get(key)!;
    this.queues.delete(key);
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_INSERT) {
      const batch = rows.slice(start, start + MAX_ROWS_PER_INSERT);
      let n = 0;
      const tuples = batch.map(() => `(${columns.map(() => `$${++n}`).join(", ")})`).join(", ");
      const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples}`;
      try {
        await this.execute(sql, batch.flatMap((row) => row.values));
        for (const row of batch) row.done();
      } catch (error) {
        for (const row of batch) row.done(error);
      }
    }
  }
}

const MAX_ROWS_PER_INSERT = 64;

/** SQLite through the adapter's own connection; better-sqlite3 is synchronous, so each call is
 * one indivisible step on the event loop, as the adapter's own queries are. */
export class SqliteDirectSql implements DirectSql {
  readonly dialect = "sqlite";
  private statements = new Map<string, BetterSqlite3.Statement>();
  private preparedOn: BetterSqlite3.Database | null = null;
  private readonly batches = new InsertBatches((sql, params) => this.run(sql, params));

  constructor(private readonly connection: () => BetterSqlite3.Database | null) {}

  ready(): boolean {
    return this.connection() !== null;
  }

  async run(sql: string, params: SqlValue[]): Promise<void> {
    // The adapter runs Prisma's interactive transactions on this same connection and lets other
    // queries in meanwhile; a write must not join someone else's transaction, so it waits.
    while (this.connection()!.inTransaction) await new Promise((resolve) => setTimeout(resolve, 1));
    this.statement(sql).run(...params.map(toSqlite));
  }

  async first(sql: string, params: SqlValue[]): Promise<SqlRow | undefined> {
    return this.statement(sql).get(...params.map(toSqlite)) as SqlRow | undefined;
  }

  insert(table: string, columns: readonly string[], values: SqlValue[]): Promise<void> {
    return this.batches.insert(table, columns, values);
  }

  private statement(sql: string): BetterSqlite3.Statement {
    const connection = this.connection()!;
    if (connection !== this.preparedOn) {
      this.statements = new Map(); // statements belong to the connection they were prepared on
      this.preparedOn = connection;
    }
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = connection.prepare(toSqlitePlaceholders(sql));
      statement.safeIntegers(false);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** $1, $2, … become SQLite's anonymous `?`, so they must appear in order, each once. */
function toSqlitePlaceholders(sql: string): string {
  let expected = 1;
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    if (Number(n) !== expected++) throw new Error(`direct SQL: placeholders must appear in order, each once: ${sql}`);
    return "?";
  });
}

/** How @prisma/adapter-better-sqlite3 stores a DateTime (ISO 8601 with an explicit offset). */
function toSqlite(value: SqlValue): string | number | null {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/** PostgreSQL through the pool the Prisma adapter also uses. Prisma's DateTime columns are
 * `timestamp(3)` without time zone holding UTC: written and read as UTC here, whatever the
 * process's time zone. */
export class PostgresDirectSql implements DirectSql {
  readonly dialect = "postgres";
  private readonly names = new Map<string, string>();
  private readonly batches = new InsertBatches((sql, params) => this.run(sql, params));

  constructor(private readonly pool: pg.Pool) {}

  ready(): boolean {
    return true;
  }

  async run(sql: string, params: SqlValue[]): Promise<void> {
    await this.pool.query(this.config(sql, params));
  }

  async first(sql: string, params: SqlValue[]): Promise<SqlRow | undefined> {
    return (await this.pool.query(this.config(sql, params))).rows[0];
  }

  insert(table: string, columns: readonly string[], values: SqlValue[]): Promise<void> {
    return this.batches.insert(table, columns, values);
  }

  private config(sql: string, params: SqlValue[]): pg.QueryConfig {
    let name = this.names.get(sql);
    if (!name) this.names.set(sql, (name = `gatehouse_direct_${this.names.size}`));
    return { name, text: sql, values: params.map(toPostgres), types: UTC_TIMESTAMPS };
  }
}

function toPostgres(value: SqlValue): string | number | boolean | null {
  return value instanceof Date ? value.toISOString().replace("Z", "") : value;
}

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
const UTC_TIMESTAMPS: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE ? (value: string) => new Date(`${value.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};
