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
  /** Releases what the direct path holds beyond Prisma's connection. */
  close(): Promise<void>;
}

/** Group commit: rows queued while the previous statements are on their way become one
 * multi-row INSERT — one round trip and one log flush for all of them — so throughput grows
 * with concurrency instead of every request paying for its own commit. At most `maxInFlight`
 * statements per table run at once; rows arriving meanwhile wait and join the next one. */
class InsertBatches {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly execute: (sql: string, params: SqlValue[]) => Promise<void>,
    private readonly maxInFlight: number,
  ) {}

  insert(table: string, columns: readonly string[], values: SqlValue[]): Promise<void> {
    const key = `${table}\u0000${columns.join(",")}`;
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { table, columns, rows: [], scheduled: false, inFlight: 0 }));
    const queued = new Promise<void>((resolve, reject) => lane.rows.push({ values, done: (error) => (error ? reject(error) : resolve()) }));
    this.schedule(lane);
    return queued;
  }

  private schedule(lane: Lane): void {
    if (lane.scheduled || lane.inFlight >= this.maxInFlight || lane.rows.length === 0) return;
    lane.scheduled = true;
    setImmediate(() => {
      lane.scheduled = false;
      void this.flush(lane);
    });
  }

  private async flush(lane: Lane): Promise<void> {
    if (lane.inFlight >= this.maxInFlight || lane.rows.length === 0) return;
    const batch = lane.rows.splice(0, MAX_ROWS_PER_INSERT);
    lane.inFlight++;
    this.schedule(lane); // more than one statement's worth waiting: another may start now
    let n = 0;
    const tuples = batch.map(() => `(${lane.columns.map(() => `$${++n}`).join(", ")})`).join(", ");
    const sql = `INSERT INTO "${lane.table}" (${lane.columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples}`;
    try {
      await this.execute(
        sql,
        batch.flatMap((row) => row.values),
      );
      for (const row of batch) row.done();
    } catch (error) {
      for (const row of batch) row.done(error);
    } finally {
      lane.inFlight--;
      this.schedule(lane);
    }
  }
}

interface Lane {
  table: string;
  columns: readonly string[];
  rows: Array<{ values: SqlValue[]; done: (error?: unknown) => void }>;
  scheduled: boolean;
  inFlight: number;
}

const MAX_ROWS_PER_INSERT = 64;

/** SQLite through the adapter's own connection; better-sqlite3 is synchronous, so each call is
 * one indivisible step on the event loop, as the adapter's own queries are. */
export class SqliteDirectSql implements DirectSql {
  readonly dialect = "sqlite";
  private statements = new Map<string, BetterSqlite3.Statement>();
  private preparedOn: BetterSqlite3.Database | null = null;
  private readonly batches = new InsertBatches((sql, params) => this.run(sql, params), 1);

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

  async close(): Promise<void> {}

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
 * process's time zone.
 *
 * Batched inserts (issued tokens) go through a small pool of their own whose sessions commit
 * asynchronously (`synchronous_commit=off`): the row is in PostgreSQL's log at once and on disk
 * within ~0.6 s, without waiting for the disk flush (7 ms on this project's machines, which would
 * cap a client at one token per flush). A PostgreSQL crash can forget the tokens of that last
 * fraction of a second — their holders get `invalid_token` and ask again, so the failure is
 * closed. Everything else, revocations above all, commits synchronously through Prisma's pool. */
export class PostgresDirectSql implements DirectSql {
  readonly dialect = "postgres";
  private readonly names = new Map<string, string>();
  private readonly batches = new InsertBatches((sql, params) => this.query(this.insertPool, sql, params).then(() => undefined), INSERT_CONNECTIONS);

  constructor(
    private readonly pool: pg.Pool,
    private readonly insertPool: pg.Pool,
  ) {}

  static create(pool: pg.Pool, connectionString: string): PostgresDirectSql {
    const insertPool = new pg.Pool({ connectionString, max: INSERT_CONNECTIONS, options: "-c synchronous_commit=off", connectionTimeoutMillis: 5_000, allowExitOnIdle: true });
    insertPool.on("error", () => {}); // a dropped idle connection is replaced on the next query
    return new PostgresDirectSql(pool, insertPool);
  }

  async close(): Promise<void> {
    await this.insertPool.end();
  }

  ready(): boolean {
    return true;
  }

  async run(sql: string, params: SqlValue[]): Promise<void> {
    await this.query(this.pool, sql, params);
  }

  async first(sql: string, params: SqlValue[]): Promise<SqlRow | undefined> {
    return (await this.query(this.pool, sql, params)).rows[0];
  }

  private query(pool: pg.Pool, sql: string, params: SqlValue[]): Promise<pg.QueryResult> {
    return pool.query(this.config(sql, params));
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

const INSERT_CONNECTIONS = 2;
const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
const UTC_TIMESTAMPS: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};
